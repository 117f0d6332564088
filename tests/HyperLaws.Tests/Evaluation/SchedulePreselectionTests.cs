using HyperLaws.Evaluation;
using HyperLaws.Laws;
using HyperLaws.Schedules;
using Xunit;

namespace HyperLaws.Tests.Evaluation;

public sealed class SchedulePreselectionTests
{
    // The LR-annealing (tissue) law L = L0 + A S1^-alpha - C S2 with fixed parameters.
    private static readonly double[] Tissue = [3.15, 0.51, 0.51, 0.40];

    private static CandidateGrid Grid(params string[] families) => new(families, [1e-4, 3e-4, 6e-4], [0, 500], [0.1, 0.3], [0, 0.1]);

    [Fact]
    public void Grid_builds_each_family_combination_once_and_skips_impossible_ones()
    {
        var all = Grid("constant", "cosine", "linear", "wsd").Schedules(2000, out int skipped);
        // 3 peaks x 2 warmups x (1 constant + 2 cosine + 2 linear + 2x2 wsd) = 54.
        Assert.Equal(54, all.Count);
        Assert.Equal(0, skipped);
        Assert.Equal(all.Count, all.Select(s => s.ToSpec()).Distinct().Count());
        // A 600-step run: wsd's 0.3 cooldown (180 steps) overlaps nothing, but a 500-step warmup leaves 100 steps.
        var shortRun = new CandidateGrid(["wsd"], [3e-4], [500], [0.1, 0.3], [0]).Schedules(600, out int shortSkipped);
        Assert.Single(shortRun);
        Assert.Equal(1, shortSkipped);
    }

    [Theory]
    [InlineData("families", "adam")]
    [InlineData("cooldowns", "1.5")]
    [InlineData("floors", "1")]
    public void Bad_grid_values_are_named(string field, string value)
    {
        var grid = field switch
        {
            "families" => Grid("adam"),
            "cooldowns" => Grid("wsd") with { Cooldowns = [double.Parse(value, System.Globalization.CultureInfo.InvariantCulture)] },
            _ => Grid("cosine") with { Floors = [double.Parse(value, System.Globalization.CultureInfo.InvariantCulture)] },
        };
        var e = Assert.Throws<ArgumentException>(grid.Check);
        Assert.StartsWith(field + ":", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constant_schedules_rank_by_their_area_so_the_largest_peak_without_warmup_wins()
    {
        // For constant schedules S2 = 0, so L = L0 + A S1^-alpha falls as S1 = sum eta grows: by construction the
        // winner has the largest peak and no warmup, and the ranking is the order of S1, largest first.
        var law = LawCatalog.Create("tissue");
        var candidates = Grid("constant").Schedules(3000, out _);
        var ranked = SchedulePreselection.Rank(law, Tissue, candidates);
        Assert.Equal("constant(peak=0.0006,steps=3000,warmup=0)", ranked[0].Schedule.ToSpec());
        var areas = ranked.Select(c => c.Schedule.Evaluate().Sum()).ToList();
        for (int i = 1; i < areas.Count; i++) Assert.True(areas[i] <= areas[i - 1] + 1e-12, $"rank {i + 1} has a larger area than rank {i}");
        for (int i = 1; i < ranked.Count; i++) Assert.True(ranked[i].PredictedLoss >= ranked[i - 1].PredictedLoss);
        Assert.All(ranked, c => Assert.Null(c.Diverges));
    }

    private sealed class PeakScreen(double limit) : IDivergenceScreen
    {
        public bool? Diverges(ScheduleHistory history, double modelSize)
        {
            double max = 0;
            for (int t = 1; t <= history.Steps; t++) max = Math.Max(max, history.Eta(t));
            return max > limit;
        }
    }

    [Fact]
    public void Candidates_a_divergence_screen_flags_go_last()
    {
        var law = LawCatalog.Create("tissue");
        var ranked = SchedulePreselection.Rank(law, Tissue, Grid("constant", "wsd").Schedules(3000, out _), screen: new PeakScreen(4e-4));
        int firstDiverging = ranked.ToList().FindIndex(c => c.Diverges == true);
        Assert.True(firstDiverging > 0);
        Assert.All(ranked.Take(firstDiverging), c => Assert.False(c.Diverges));
        Assert.All(ranked.Skip(firstDiverging), c => Assert.True(c.Diverges));
        Assert.All(ranked.Skip(firstDiverging), c => Assert.Equal(6e-4, ((WarmupSchedule)c.Schedule).Peak));
        // Without the screen the 6e-4 schedules would win.
        Assert.Equal(6e-4, ((WarmupSchedule)SchedulePreselection.Rank(law, Tissue, Grid("constant", "wsd").Schedules(3000, out _))[0].Schedule).Peak);
    }

    [Fact]
    public void A_screen_without_a_probability_gives_NaN_and_the_boundary_screen_gives_one_monotone_in_the_peak()
    {
        var law = LawCatalog.Create("tissue");
        var candidates = Grid("constant", "wsd").Schedules(3000, out _);
        Assert.All(SchedulePreselection.Rank(law, Tissue, candidates, screen: new PeakScreen(4e-4)), c => Assert.True(double.IsNaN(c.DivergenceProbability)));
        Assert.All(SchedulePreselection.Rank(law, Tissue, candidates), c => Assert.True(double.IsNaN(c.DivergenceProbability)));
        // The critical-LR boundary at 4e-4 (logistic slope 6): P in [0, 1], P > 1/2 exactly when the verdict is "diverges",
        // and P rising with the peak within a family and warmup.
        var screen = new HyperLaws.Divergence.DivergenceScreen(new HyperLaws.Divergence.DivergenceModel(new HyperLaws.Divergence.CriticalLrRule(Math.Log(4e-4), 0, 0, 0, 0, 6)), 1e8, 1e6);
        var ranked = SchedulePreselection.Rank(law, Tissue, candidates, screen: screen);
        Assert.All(ranked, c =>
        {
            Assert.InRange(c.DivergenceProbability, 0, 1);
            Assert.Equal(c.Diverges, c.DivergenceProbability > 0.5);
        });
        var shapes = ranked.GroupBy(c => System.Text.RegularExpressions.Regex.Replace(c.Schedule.ToSpec(), "peak=[^,)]*", "peak=P")).ToList();
        Assert.True(shapes.Count < ranked.Count, "the grid has several peaks per shape");
        foreach (var shape in shapes)
        {
            var byPeak = shape.OrderBy(c => ((WarmupSchedule)c.Schedule).Peak).ToList();
            for (int i = 1; i < byPeak.Count; i++) Assert.True(byPeak[i].DivergenceProbability >= byPeak[i - 1].DivergenceProbability, shape.Key);
        }
        // The tuple form and the record form agree.
        var (loss, diverges) = SchedulePreselection.PredictAndScreen(law, Tissue, candidates, double.NaN, screen);
        var screened = SchedulePreselection.Predict(law, Tissue, candidates, double.NaN, screen);
        Assert.Equal(loss, screened.Loss);
        Assert.Equal(diverges, screened.Diverges);
    }

    [Fact]
    public void Term_differences_add_up_to_the_gap_between_the_two_predictions()
    {
        var law = LawCatalog.Create("tissue");
        var ranked = SchedulePreselection.Rank(law, Tissue, Grid("constant", "wsd").Schedules(3000, out _));
        var reference = ranked.First(c => c.Schedule is ConstantSchedule);
        var terms = SchedulePreselection.Compare(law, Tissue, ranked[0].Schedule, reference.Schedule)!;
        Assert.Equal(ranked[0].PredictedLoss - reference.PredictedLoss, terms.Sum(t => t.Difference), 10);
        // The wsd winner beats constant through its annealing term, the first one listed.
        Assert.Same(ScheduleFamily.Wsd, ranked[0].Schedule.Family);
        Assert.Equal("annealing", terms[0].Name);
        Assert.True(terms[0].Difference < 0);
    }
}
