using CsCheck;
using HyperLaws.Optimum;
using HyperLaws.Planning;
using HyperLaws.Planning.Sweeps;
using HyperLaws.Schedules;

namespace HyperLaws.Tests.Planning.Sweeps;

// Inside the namespace so that [Theory] binds to xunit, not to the HyperLaws.Theory namespace.
using Xunit;

/// <summary>The design of a calibration sweep (<see cref="SweepDesigner"/>): budgets, the grid around the anchor, steps, schedules, cost.</summary>
public sealed class SweepDesignerTests
{
    private static readonly SweepOptions Target = new(1.3e9, 2.6e10);

    [Fact]
    public void Default_budgets_are_log_spaced_below_the_target()
    {
        var d = SweepDesigner.Design(Target);
        var tokens = d.Budgets.Select(b => b.Tokens).ToList();
        Assert.Equal(3, tokens.Count);
        Assert.Equal([1, 2, 3], d.Budgets.Select(b => b.Index));
        Assert.Equal(Target.Tokens / 1000, tokens[0], 1e-6 * tokens[0]);
        Assert.Equal(Target.Tokens / 100, tokens[2], 1e-6 * tokens[2]);
        // The middle one is the geometric mean to 2 significant digits.
        Property.Near(Math.Sqrt(tokens[0] * tokens[2]), tokens[1], 0.05, "middle budget");
        Assert.All(tokens, t => Assert.True(t < Target.Tokens / 50));
        Assert.True(tokens.SequenceEqual(tokens.Order()));
    }

    [Fact]
    public void The_grid_brackets_the_published_anchor_at_every_budget()
    {
        var d = SweepDesigner.Design(Target);
        foreach (var b in d.Budgets)
        {
            var expected = PublishedAnchors.At(PublishedAnchors.Primary, Target.Params, b.Tokens, TrainingOptimizer.AdamW);
            Assert.Equal(expected, b.Anchor);
            Assert.Equal(5, b.LearningRates.Count);
            Assert.True(b.LearningRates[0] < b.Anchor.LearningRate && b.Anchor.LearningRate < b.LearningRates[^1]);
            // x1/4, x1/2, x1, x2, x4 to 3 significant digits.
            double[] factors = [0.25, 0.5, 1, 2, 4];
            for (int i = 0; i < 5; i++) Property.Near(b.Anchor.LearningRate * factors[i], b.LearningRates[i], 0.005, $"LR {i}");
            double centreTokens = b.CentreBatchSequences * 2048.0;
            // Powers of two in log space: the centre within sqrt(2) of the anchor, the ladder halving and doubling it.
            Assert.InRange(centreTokens / b.Anchor.BatchTokens, 1 / Math.Sqrt(2), Math.Sqrt(2));
            Assert.Equal([b.CentreBatchSequences / 2, b.CentreBatchSequences, b.CentreBatchSequences * 2], b.BatchSequences);
            Assert.True(b.BatchSequences[0] * 2048.0 < b.Anchor.BatchTokens && b.Anchor.BatchTokens < b.BatchSequences[^1] * 2048.0);
        }
    }

    [Fact]
    public void Rows_ids_and_order_are_deterministic()
    {
        var d = SweepDesigner.Design(Target);
        Assert.Equal(3 * (5 * 3 + 3), d.Runs.Count);
        Assert.Equal(d.Runs.Count, d.Runs.Select(r => r.RunId).Distinct().Count());
        Assert.Equal("d1-bs1-lr1", d.Runs[0].RunId);
        Assert.Equal("d1-bs3-lr5", d.Runs[14].RunId);
        Assert.Equal(["d1-constant", "d1-cosine", "d1-wsd50"], d.Runs.Skip(15).Take(3).Select(r => r.RunId));
        Assert.Equal(d.Runs.Select(r => r.Budget), d.Runs.Select(r => r.Budget).Order());
        var again = SweepDesigner.Design(Target);
        Assert.Equal(d.Runs, again.Runs);
    }

    /// <summary>Muon runs' evidence: best peak 0.02 at 7.2e9 tokens, trained up to 0.04, none diverged.</summary>
    private static readonly RunEvidence MuonRuns = new(0.04, double.PositiveInfinity, 0.02, "best", 7.2e9, 3, 0);

    [Fact]
    public void A_Muon_sweep_is_centred_on_its_runs_carried_by_the_LMO_rule_and_without_them_on_AdamWs_rule_as_is()
    {
        // Without runs: AdamW's published rule carried as is (the premise checked on Marin's 1.2b tables), its note in the centres' line;
        // normalized SGD (AdamW's value times sqrt(N), no check) still refuses.
        var adam = SweepDesigner.Design(Target);
        var plain = SweepDesigner.Design(Target with { Optimizer = TrainingOptimizer.Muon });
        Assert.Equal(adam.Budgets.Select(b => b.Anchor.LearningRate), plain.Budgets.Select(b => b.Anchor.LearningRate));
        Assert.Equal(adam.Runs.Select(r => r.LearningRate), plain.Runs.Select(r => r.LearningRate));
        Assert.Contains("Muon takes the AdamW value as is", plain.Notes[0], StringComparison.Ordinal);
        Assert.All(plain.Runs, r => Assert.Equal(0.95, r.Momentum));
        var e = Assert.Throws<SweepEvidenceException>(() => SweepDesigner.Design(Target with { Optimizer = TrainingOptimizer.NormalizedSgd }));
        Assert.Contains("no published LR rule exists for nsgd", e.Message, StringComparison.Ordinal);
        Assert.Null(e.BestRun);
        Assert.True(SweepDesigner.CentresWithoutRuns(TrainingOptimizer.Muon));
        Assert.False(SweepDesigner.HasPublishedRule(TrainingOptimizer.Muon));
        Assert.False(SweepDesigner.CentresWithoutRuns(TrainingOptimizer.NormalizedSgd));
        // Runs, none with a peak LR (all diverged): the same refusal. The best run without tokens per step: its budget is unknown.
        var noPeak = Assert.Throws<SweepEvidenceException>(() => SweepDesigner.Design(Target with { Optimizer = TrainingOptimizer.Muon, Evidence = MuonRuns with { BestPeak = double.NaN } }));
        Assert.Null(noPeak.BestRun);
        Assert.Equal(SweepDesigner.NoRule(TrainingOptimizer.Muon), noPeak.Reason);
        var noBudget = Assert.Throws<SweepEvidenceException>(() => SweepDesigner.Design(Target with { Optimizer = TrainingOptimizer.Muon, Evidence = MuonRuns with { BestTokens = double.NaN } }));
        Assert.Equal("best", noBudget.BestRun);
        Assert.Equal("the best of the runs (best) has no tokens per step, so its budget is unknown", noBudget.Reason);
        Assert.EndsWith(": give the run its tokens per step (a `# tokens_per_step:` line).", noBudget.Message, StringComparison.Ordinal);
        var d = SweepDesigner.Design(Target with { Optimizer = TrainingOptimizer.Muon, Evidence = MuonRuns });
        foreach (var b in d.Budgets)
            Assert.Equal(0.02 * Math.Pow(b.Tokens / 7.2e9, -0.25), b.Anchor.LearningRate, 12);
        // signSGD keeps AdamW's published rule; AdamW is unchanged by evidence.
        Assert.Equal(SweepDesigner.Design(Target).Budgets[0].Anchor.LearningRate,
            SweepDesigner.Design(Target with { Optimizer = TrainingOptimizer.SignSgd }).Budgets[0].Anchor.LearningRate);
    }

    [Fact]
    public void Every_spec_parses_back_to_the_same_schedule()
    {
        foreach (var r in SweepDesigner.Design(Target with { Optimizer = TrainingOptimizer.Muon, Evidence = MuonRuns }).Runs)
        {
            var parsed = LrSchedule.Parse(r.Schedule.ToSpec());
            Assert.Equal(r.Schedule, parsed);
            Assert.Equal(r.Steps, parsed.Steps);
            var w = Assert.IsAssignableFrom<WarmupSchedule>(parsed);
            Assert.Equal(r.LearningRate, w.Peak);
            Assert.Equal(r.Warmup, w.Warmup);
            Assert.Equal(r.LearningRate, parsed.At(r.Warmup));
            Assert.True(parsed.At(r.Warmup - 1) < r.LearningRate);
            Assert.Equal(0.95, r.Momentum);
        }
    }

    [Fact]
    public void The_schedule_arm_runs_the_centre_with_constant_cosine_and_a_second_cooldown()
    {
        var d = SweepDesigner.Design(Target);
        foreach (var b in d.Budgets)
        {
            var arm = d.Runs.Where(r => r.Budget == b.Index && r.Purpose == SweepPurpose.Schedule).ToList();
            Assert.Equal(["constant", "cosine", "wsd"], arm.Select(r => r.Schedule.Family.Name));
            Assert.All(arm, r => Assert.Equal(b.CentreBatchSequences, r.BatchSequences));
            Assert.All(arm, r => Assert.Equal(b.LearningRates[2], r.LearningRate));
            var wsd = Assert.IsType<WsdSchedule>(arm[2].Schedule);
            Assert.Equal((int)Math.Round(0.5 * wsd.Steps, MidpointRounding.AwayFromZero), wsd.CooldownLength);
            var grid = d.Runs.Where(r => r.Budget == b.Index && r.Purpose == SweepPurpose.Grid).ToList();
            Assert.All(grid, r => Assert.Equal(0.2, Assert.IsType<WsdSchedule>(r.Schedule).Cooldown));
            // The grid's centre run is the arm's WSD with the grid's cooldown: same LR, batch, steps and warmup.
            var centre = Assert.Single(grid, r => r.RunId == $"d{b.Index}-bs2-lr3");
            Assert.Equal((arm[2].Steps, arm[2].Warmup, arm[2].LearningRate), (centre.Steps, centre.Warmup, centre.LearningRate));
        }
    }

    [Fact]
    public void Cost_is_six_N_D_summed_and_flagged_above_the_threshold()
    {
        var d = SweepDesigner.Design(Target);
        Assert.Equal(d.Runs.Sum(r => r.Tokens), d.Cost.Tokens);
        Property.Near(6 * Target.Params * d.Cost.Tokens, d.Cost.Flops, 1e-12, "flops");
        Property.Near(d.Cost.Tokens / Target.Tokens, d.Cost.Fraction, 1e-12, "fraction");
        Assert.False(d.Cost.Exceeds);
        Assert.Empty(d.Warnings);

        var strict = SweepDesigner.Design(Target with { MaxComputeFraction = 0.05 });
        Assert.True(strict.Cost.Exceeds);
        Assert.Contains(strict.Warnings, w => w.Contains("of the target run's compute", StringComparison.Ordinal));

        // A smaller sweep model costs proportionally less (same budgets, batches from the same D-only Step Law rule).
        var small = SweepDesigner.Design(Target with { SweepParams = 1.3e8 });
        Assert.All(small.Runs, r => Assert.Equal(1.3e8, r.Params));
        Property.Near(d.Cost.Fraction / 10, small.Cost.Fraction, 1e-9, "smaller model");
        Assert.Contains(small.Notes, n => n.Contains("smaller model", StringComparison.Ordinal));
    }

    [Fact]
    public void Budgets_too_small_to_hold_warmup_and_steps_are_refused()
    {
        double smallest = SweepDesigner.SmallestBudget(Target, Target.Params);
        var ok = SweepDesigner.Design(Target with { Budgets = [smallest, 10 * smallest] });
        Assert.All(ok.Runs, r => Assert.True(r.Steps - r.Warmup >= 300, r.RunId));
        // The 2-digit value just below the smallest fails (the smallest was scanned down to the first failure).
        int exponent = (int)Math.Floor(Math.Log10(smallest)) - 1;
        int mantissa = (int)Math.Round(smallest / Math.Pow(10, exponent));
        double below = mantissa > 10 ? double.Parse($"{mantissa - 1}e{exponent}", System.Globalization.CultureInfo.InvariantCulture)
            : double.Parse($"99e{exponent - 1}", System.Globalization.CultureInfo.InvariantCulture);
        var e = Assert.Throws<SweepBudgetException>(() => SweepDesigner.Design(Target with { Budgets = [below, 1e8] }));
        Assert.Equal(below, e.Budget);                             // the budget refused, for the front end to name as its user wrote it
        Assert.StartsWith("is too small", e.Problem, StringComparison.Ordinal);
        Assert.DoesNotContain("E+", e.Message, StringComparison.Ordinal); // never .NET's E-notation ("1E+05")
        Assert.Contains("too small", e.Message, StringComparison.Ordinal);
        Assert.Contains("fewer than the warmup", e.Message, StringComparison.Ordinal);

        var tiny = Assert.Throws<ArgumentException>(() => SweepDesigner.Design(new SweepOptions(1e8, 1e7)));
        Assert.Contains("too small", tiny.Message, StringComparison.Ordinal);
        Assert.Equal(Target.Tokens, Assert.Throws<SweepBudgetException>(() => SweepDesigner.Design(Target with { Budgets = [Target.Tokens] })).Budget);
        Assert.Equal("budget 1e8 tokens is given twice.", Assert.Throws<SweepBudgetException>(() => SweepDesigner.Design(Target with { Budgets = [1e8, 1e8] })).Message);
    }

    [Fact]
    public void A_small_target_raises_the_lowest_default_budget_with_a_note()
    {
        var o = new SweepOptions(1e8, 1e9);
        double smallest = SweepDesigner.SmallestBudget(o, o.Params);
        Assert.True(smallest > 1e6);
        var d = SweepDesigner.Design(o);
        Assert.Equal(smallest, d.Budgets[0].Tokens);
        Assert.Equal(1e7, d.Budgets[^1].Tokens);
        Assert.Contains(d.Notes, n => n.Contains("raised", StringComparison.Ordinal));
    }

    [Fact]
    public void Batch_ladder_rounds_in_log_space_and_keeps_rungs_distinct()
    {
        Assert.Equal("8 [4, 8, 16]", Show(SweepDesigner.BatchLadder(11.2, 3, null)));   // log2 11.2 = 3.49
        Assert.Equal("16 [8, 16, 32]", Show(SweepDesigner.BatchLadder(11.4, 3, null))); // 3.51
        Assert.Equal("2 [1, 2, 4] raised", Show(SweepDesigner.BatchLadder(0.3, 3, null)));
        Assert.Equal("4 [1, 2, 4, 8, 16] raised", Show(SweepDesigner.BatchLadder(1, 5, null)));
        Assert.Equal("24 [16, 24, 48]", Show(SweepDesigner.BatchLadder(25, 3, 8)));    // 3 multiples of 8; half of 3 rounds to 2 multiples
        Assert.Equal("16 [8, 16, 32] raised", Show(SweepDesigner.BatchLadder(3, 3, 8)));
        Assert.Equal("6 [3, 6, 12]", Show(SweepDesigner.BatchLadder(6.2, 3, 3)));
    }

    private static string Show((int Centre, int[] Ladder, bool Raised) x) => $"{x.Centre} [{string.Join(", ", x.Ladder)}]{(x.Raised ? " raised" : "")}";

    [Fact]
    public void Invariants_hold_over_random_targets_and_options()
    {
        var target = Gen.Select(Property.LogUniform(1e7, 1e11), Property.LogUniform(20, 2000), Gen.Int[0, 3], Gen.Int[9, 12].Select(k => 1 << k));
        var grid = Gen.Select(Gen.Int[0, 8], Gen.Int[3, 7], Gen.Int[1, 5], Gen.Bool);
        var gen = Gen.Select(target, grid, (t, g) => new SweepOptions(t.Item1, Math.Min(t.Item1 * t.Item2, 1e15))
        {
            Optimizer = (TrainingOptimizer)t.Item3,
            SequenceLength = t.Item4,
            BatchMultiple = g.Item1 == 0 ? null : g.Item1,
            LrPoints = g.Item2,
            BatchPoints = g.Item3,
            Anchor = g.Item4 ? StepLawRule.Instance : DeepSeekRule.Instance,
            // Runs' evidence at the target (a sweep for Muon or nsgd is centred on it; AdamW and signSGD ignore it).
            Evidence = new RunEvidence(2e-3, double.PositiveInfinity, 1e-3, "best", Math.Min(t.Item1 * t.Item2, 1e15), 1, 0),
        });
        int designed = 0, refused = 0;
        Property.ForAll(gen, o =>
        {
            SweepDesign d;
            try
            {
                d = SweepDesigner.Design(o);
            }
            catch (ArgumentException e)
            {
                // Only a target too small for the default budgets may be refused, and only with the reason.
                Assert.Contains("too small", e.Message, StringComparison.Ordinal);
                Assert.True(SweepDesigner.SmallestBudget(o, o.Params) > o.Tokens / 200, e.Message);
                refused++;
                return;
            }
            designed++;
            Assert.Equal(d.Budgets.Count * (o.LrPoints * o.BatchPoints + o.Arms.Count), d.Runs.Count);
            Assert.Equal(d.Runs.Count, d.Runs.Select(r => r.RunId).Distinct().Count());
            Assert.All(d.Budgets, b => Assert.True(b.Tokens < o.Tokens));
            foreach (var b in d.Budgets)
            {
                Assert.True(b.LearningRates[0] < b.Anchor.LearningRate && b.Anchor.LearningRate < b.LearningRates[^1]);
                Assert.Equal(b.BatchSequences.Count, b.BatchSequences.Distinct().Count());
                Assert.Contains(b.CentreBatchSequences, b.BatchSequences);
            }
            foreach (var r in d.Runs)
            {
                var b = d.Budgets[r.Budget - 1];
                // steps x batch tokens = the budget to within half a step.
                Assert.Equal(r.Steps * r.BatchTokens, r.Tokens);
                Assert.True(Math.Abs(r.Tokens - b.Tokens) <= r.BatchTokens / 2, $"{r.RunId}: {r.Tokens} vs {b.Tokens}");
                Assert.True(r.Steps - r.Warmup >= o.MinStepsAfterWarmup, r.RunId);
                Assert.Equal(Math.Max(100, (int)Math.Ceiling(0.01 * r.Steps - 1e-9)), r.Warmup);
                if (o.BatchMultiple is { } m) Assert.Equal(0, r.BatchSequences % m);
                else Assert.True(int.IsPow2(r.BatchSequences), $"{r.BatchSequences} is not a power of two");
                var parsed = LrSchedule.Parse(r.Schedule.ToSpec());
                Assert.Equal(r.Schedule, parsed);
                Assert.Equal(r.LearningRate, parsed.At(r.Warmup));
            }
        }, iterations: 60);
        Assert.True(designed >= 40, $"only {designed} of 60 samples designed ({refused} refused): the property barely ran");
    }

    [Theory]
    [InlineData(1e3, 1e10, "not plausible")]
    [InlineData(1e9, 1e20, "not plausible")]
    [InlineData(double.NaN, 1e10, "not plausible")]
    public void Implausible_targets_are_refused(double n, double t, string expected)
    {
        var e = Assert.Throws<ArgumentException>(() => SweepDesigner.Design(new SweepOptions(n, t)));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bad_options_are_refused_with_the_reason()
    {
        Assert.Contains("3..15", Assert.Throws<ArgumentException>(() => SweepDesigner.Design(Target with { LrPoints = 2 })).Message, StringComparison.Ordinal);
        Assert.Contains("smaller one", Assert.Throws<ArgumentException>(() => SweepDesigner.Design(Target with { SweepParams = 1e10 })).Message, StringComparison.Ordinal);
        Assert.Contains("must differ", Assert.Throws<ArgumentException>(() => SweepDesigner.Design(Target with { SecondCooldown = 0.2 })).Message, StringComparison.Ordinal);
        Assert.Contains("[0, 1)", Assert.Throws<ArgumentException>(() => SweepDesigner.Design(Target with { Momentum = 1 })).Message, StringComparison.Ordinal);
        Assert.Contains("once", Assert.Throws<ArgumentException>(() => SweepDesigner.Design(Target with { Arms = [SweepArm.Cosine, SweepArm.Cosine] })).Message, StringComparison.Ordinal);
    }
}
