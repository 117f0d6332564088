using System.Text.Json.Nodes;
using HyperLaws.Divergence;
using Xunit;

namespace HyperLaws.Tests.Divergence;

/// <summary>
/// Protocol 4-D's pieces: the edge's curvature G in ln batch (fitted, evaluated, saved) and the in-sample ceilings of a
/// boundary family (<see cref="DivergenceCeiling"/>).
/// </summary>
public sealed class BatchCurvatureTests
{
    // An edge that peaks in batch: ln eta_crit = ln 8e-3 - 0.4 ln(N/1e8) - 0.05 lb - 0.08 lb^2 + 0.1 ln(D/1e10), lb = ln(b/1e6); slope 12.
    private static readonly CriticalLrRule Humped = new(Math.Log(8e-3), -0.4, -0.05, 0.1, 0, 12) { G = -0.08 };

    private static DivergenceExample Run(double n, double batch, int steps, double peak, string? group = null, bool diverged = false)
    {
        var lr = Enumerable.Range(1, steps).Select(t => t <= 100 ? peak * t / 100 : peak * 0.5 * (1 + Math.Cos(Math.PI * (t - 100) / (steps - 100)))).ToArray();
        return DivergenceExample.FromSchedule(FormattableString.Invariant($"n{n}-b{batch}-p{peak}"), group ?? FormattableString.Invariant($"N={n}"), n, batch, lr, diverged);
    }

    private static List<DivergenceExample> Synthetic(int seed)
    {
        var rng = new Random(seed);
        var list = new List<DivergenceExample>();
        foreach (double n in new[] { 1e8, 4e8 })
            foreach (double b in new[] { 3e4, 1.2e5, 5e5, 2e6, 8e6 })
                foreach (int steps in new[] { 200, 800 }) // two lengths, so that ln D is not ln b plus a constant
                    for (int i = 0; i < 20; i++)
                    {
                        var x = Run(n, b, steps, 1e-3 * Math.Pow(50, i / 19.0));
                        list.Add(x with { Diverged = rng.NextDouble() < Humped.Probability(x.PeakLr, n, b, steps * b, x.WarmupSteps) });
                    }
        return list;
    }

    [Fact]
    public void The_fit_recovers_a_known_curvature_and_leaves_it_at_zero_unless_asked()
    {
        var data = Synthetic(5);
        var rule = CriticalLrFitter.Fit(data, batchCurvature: true);
        Assert.InRange(rule.G, Humped.G - 0.04, Humped.G + 0.04);
        Assert.InRange(rule.C, Humped.C - 0.12, Humped.C + 0.12);
        Assert.InRange(rule.B, Humped.B - 0.15, Humped.B + 0.15);
        Assert.Equal(0, CriticalLrFitter.Fit(data).G);
    }

    [Fact]
    public void The_edge_peaks_where_its_closed_form_says()
    {
        // d ln eta_crit / d lb = C + 2 G lb = 0 at lb* = -C / (2G): the largest eta_crit over batch, checked against a fine scan.
        double bStar = CriticalLrRule.BatchRef * Math.Exp(-Humped.C / (2 * Humped.G));
        double best = 0, argBest = 0;
        for (double lb = -6; lb <= 4; lb += 1e-4)
        {
            double b = CriticalLrRule.BatchRef * Math.Exp(lb), eta = Humped.CriticalPeakLr(2e8, b, 1e10, 1000);
            if (eta > best) (best, argBest) = (eta, b);
        }
        Assert.Equal(Math.Log(bStar), Math.Log(argBest), 3);
        // With G = 0 the same rule is the power law in batch.
        var flat = Humped with { G = 0 };
        Assert.Equal(Math.Pow(2, flat.C), flat.CriticalPeakLr(2e8, 2e6, 1e10, 1000) / flat.CriticalPeakLr(2e8, 1e6, 1e10, 1000), 12);
    }

    [Fact]
    public void The_document_keeps_G_and_files_without_it_read_as_before()
    {
        var m = new DivergenceModel(Humped);
        var json = DivergenceModelDocument.ToJson(m);
        Assert.Equal(Humped.G, json["boundary"]!["G"]!.GetValue<double>());
        Assert.Equal(m.Rule, DivergenceModelDocument.Parse(json.ToJsonString()).Rule);
        // A model without curvature writes no "G" (its file is as before), and a file without "G" reads G = 0.
        var flat = DivergenceModelDocument.ToJson(new DivergenceModel(Humped with { G = 0 }));
        Assert.False(((JsonObject)flat["boundary"]!).ContainsKey("G"));
        Assert.Equal(0, DivergenceModelDocument.Parse(flat.ToJsonString()).Rule.G);
        ((JsonObject)json["boundary"]!)["G"] = "x";
        Assert.Contains("boundary.G", Assert.Throws<FormatException>(() => DivergenceModelDocument.Parse(json.ToJsonString())).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_ceiling_is_each_cells_fewest_error_threshold()
    {
        // Cell a: stable at 1, 2, 4; diverged at 8 and 16, except a stable run at 16: the best threshold (between 4 and 8) errs once.
        // Cell b: diverged at 2 (a lone early failure), stable at 1 and 4, diverged at 8: best errs once (either the 2 or the 4).
        List<DivergenceExample> runs =
        [
            .. new[] { 1, 2, 4 }.Select(p => Run(1e8, 1e6, 50, p * 1e-3, "a")),
            Run(1e8, 1e6, 50, 8e-3, "a", true), Run(1e8, 1e6, 50, 1.6e-2, "a", true), Run(1e8, 5e5, 50, 1.6e-2, "a"),
            Run(1e8, 1e6, 50, 1e-3, "b"), Run(1e8, 1e6, 50, 2e-3, "b", true), Run(1e8, 1e6, 50, 4e-3, "b"), Run(1e8, 1e6, 50, 8e-3, "b", true),
        ];
        var m = DivergenceCeiling.PerGroupThreshold(runs);
        Assert.Equal(2, m.FalsePositives + m.FalseNegatives);
        Assert.Equal(4, m.TruePositives + m.FalseNegatives);
        // Ties go to the lower threshold (more runs predicted to diverge): cell b's threshold lies between 1 and 2.
        Assert.Equal(new BinaryMetrics(4, 2, 0, 4), m);
        Assert.Equal(8.0 / 10, DivergenceCeiling.F1Bound(m), 12);
        // A shape whose batch slope puts the half-batch run's edge above 1.6e-2 explains cell a: one error less.
        var shape = new CriticalLrRule(0, 0, -2, 0, 0, 10);
        var shaped = DivergenceCeiling.PerGroupThreshold(runs, shape);
        Assert.Equal(1, shaped.FalsePositives + shaped.FalseNegatives);
    }

    [Fact]
    public void Runs_of_different_batch_rows_whose_z_differ_by_less_than_the_tie_are_split()
    {
        // One cell; shape ln eta_crit - A = ln(b/1e6). A stable run at batch 1e6 (z = ln peak - 0) and a diverged one at
        // batch 1e6 e^0.1 whose peak is e^(0.1 + 5e-4) higher (z 5e-4 above): distinct LRs, so a threshold between them errs
        // nowhere (was: z within Tie merged into one tie, one error).
        double b2 = 1e6 * Math.Exp(0.1);
        List<DivergenceExample> runs = [Run(1e8, 1e6, 50, 1e-3, "c"), Run(1e8, b2, 50, 1e-3 * Math.Exp(0.1 + 5e-4), "c", true)];
        var m = DivergenceCeiling.PerGroupThreshold(runs, new CriticalLrRule(0, 0, 1, 0, 0, 10));
        Assert.Equal(new BinaryMetrics(1, 0, 0, 1), m);
        // Two reads of one grid LR (within Tie in ln peak) stay one value: a stable and a diverged copy make one error.
        List<DivergenceExample> copies = [Run(1e8, 1e6, 50, 1e-3, "c"), Run(1e8, 1e6, 50, 1e-3 * (1 + 3e-4), "c", true)];
        var tied = DivergenceCeiling.PerGroupThreshold(copies);
        Assert.Equal(1, tied.FalsePositives + tied.FalseNegatives);
    }

    [Fact]
    public void No_member_of_a_family_beats_its_ceiling_in_sample()
    {
        var data = Synthetic(9);
        var model = DivergenceFitting.Fit(data, batchCurvature: true);
        var own = DivergenceFitting.Score(model, data).Boundary;
        var ceiling = DivergenceCeiling.PerGroupThreshold(data, model.Rule);
        Assert.True(ceiling.FalsePositives + ceiling.FalseNegatives <= own.FalsePositives + own.FalseNegatives, $"{ceiling} vs {own}");
        Assert.True(own.F1 <= DivergenceCeiling.F1Bound(ceiling) + 1e-12);
        // Shifting the model's intercept is a member of the family too.
        foreach (double shift in new[] { -0.3, -0.1, 0.1, 0.3 })
        {
            var moved = DivergenceFitting.Score(new DivergenceModel(model.Rule with { A = model.Rule.A + shift }), data).Boundary;
            Assert.True(ceiling.FalsePositives + ceiling.FalseNegatives <= moved.FalsePositives + moved.FalseNegatives);
        }
    }
}
