using System.Globalization;
using HyperLaws.Laws;
using HyperLaws.Runs;
using Xunit;

namespace HyperLaws.Validation.Tests;

/// <summary>
/// Protocol 3's mechanics on a small synthetic grid with a known answer: every curve is exactly the
/// LR-annealing law of Tissue et al. (one parameter set per LR), and each run's final validation loss is
/// that law at its last step plus 0.03 (a different validation estimator). Fitting that law on the
/// constant runs and one cooldown fraction must then predict every held-out run exactly and rank every
/// group right.
/// </summary>
public sealed class ScheduleGridTests
{
    private const double Shift = 0.03;
    private const int Warmup = 30;
    private static readonly double[] Lrs = [1e-3, 2e-3];
    private static readonly int[] Horizons = [600, 1200];
    private static readonly double[] Fractions = [0.2, 0.5, 0.8];

    /// <summary>L0, A, alpha, C of the synthetic law at a base LR.</summary>
    private static double[] Truth(double lr) => [2.9, 0.6, 0.45, 0.1e-3 / lr];

    /// <summary>The llm-baselines schedules: warmup from lr/100, then constant, a linear cooldown to 0, or a cosine to lr/10.</summary>
    private static double[] Schedule(int steps, double lr, string kind, double fraction)
    {
        int hold = steps - (int)(fraction * steps);
        var eta = new double[steps];
        for (int k = 0; k < steps; k++)
        {
            double f = k < Warmup ? (double)k / Warmup + (1 - (double)k / Warmup) / 100
                : kind == "cos" ? 0.1 + 0.45 * (1 + Math.Cos(Math.PI * (k - Warmup) / (steps - 1.0 - Warmup)))
                : kind == "wsd" && k >= hold ? 1 - (k - hold) / (double)(steps - hold)
                : 1;
            eta[k] = lr * f;
        }
        return eta;
    }

    private static TrainingRun Run(string name, double lr, int steps, string kind, double fraction, bool diverged = false)
    {
        var lrs = Schedule(steps, lr, kind, fraction);
        var h = new ScheduleHistory(lrs);
        int[] at = [.. Enumerable.Range(1, steps / 20).Select(i => 20 * i)];
        var loss = new double[at.Length];
        new AnnealingLaw().Predict(Truth(lr), h, at, loss);
        var final = new double[1];
        new AnnealingLaw().Predict(Truth(lr), h, [steps], final);
        string F(double v) => v.ToString("R", CultureInfo.InvariantCulture);
        var tags = new Dictionary<string, string>
        {
            ["lr"] = F(lr),
            ["scheduler"] = kind,
            ["finalValLoss"] = F(diverged ? 7.5 : final[0] + Shift),
            ["finalValStep"] = F(steps),
        };
        if (kind == "wsd")
        {
            tags["cooldownFraction"] = F(fraction);
            tags["decayType"] = "linear";
        }
        if (diverged) tags["divergedAt"] = "100";
        var obs = at.Select((s, i) => new LossObservation(s, loss[i], LossSplit.Validation)).ToList();
        return new TrainingRun(new RunMetadata(name) { Tags = tags }, lrs, obs, diverged);
    }

    internal static IReadOnlyList<GridRun> Grid()
    {
        var runs = new List<TrainingRun>();
        foreach (double lr in Lrs)
        {
            runs.Add(Run($"constant-{lr}", lr, 1200, "wsd", 0));
            foreach (int s in Horizons)
            {
                foreach (double f in Fractions) runs.Add(Run($"wsd-{f}-{lr}-{s}", lr, s, "wsd", f));
                runs.Add(Run($"cos-{lr}-{s}", lr, s, "cos", 0));
            }
        }
        runs.Add(Run("diverged", 5e-3, 1200, "cos", 0, diverged: true));
        return ScheduleGrid.Order(runs.Select(GridRun.From));
    }

    [Fact]
    public void RunsAreClassifiedAndSplit()
    {
        var grid = Grid();
        Assert.Equal(Fractions, ScheduleGrid.Fractions(grid));
        var (train, heldOut, excluded) = ScheduleGrid.Split(grid, 0.5);
        Assert.Equal(2 + 2 * 2, train.Count);
        Assert.All(train, r => Assert.True(r.Family == "constant" || r.CooldownFraction == 0.5, r.Name));
        Assert.Equal(2 * 2 * 3, heldOut.Count);
        var ex = Assert.Single(excluded);
        Assert.Equal("diverged", ex.Run.Name);
        Assert.Contains("diverged", ex.Reason, StringComparison.Ordinal);
        Assert.Contains("step 100", ex.Reason, StringComparison.Ordinal);
        Assert.Equal("cosine-10%", grid.Single(r => r.Name == "cos-0.001-600").Label);
        Assert.Equal("wsd-linear-0.8", grid.Single(r => r.Name == "wsd-0.8-0.001-600").Label);

        // A training cooldown contributes only its cooldown points; the constant run all of its points.
        var cooldown = train.Single(r => r.Name == "wsd-0.5-0.001-1200");
        Assert.Equal(601, cooldown.LastPeakStep); // step s runs at lr f(s - 1), and f(600) = 1 still
        var target = ScheduleGrid.Target(cooldown, LossSplit.Validation)!;
        Assert.Equal(620, target.Steps[0]);
        Assert.Equal(30, target.Steps.Length);
        Assert.Equal(60, ScheduleGrid.Target(train.Single(r => r.Name == "constant-0.001"), LossSplit.Validation)!.Steps.Length);
    }

    [Fact]
    public void TheTrueLawPredictsEveryHeldOutRunAndRanksEveryGroupRight()
    {
        var result = ScheduleGrid.Run(Grid(), ["tissue"], new GridOptions { TrainFraction = 0.2 });
        var law = Assert.Single(result.Laws);
        Assert.Equal(2 * 2 * 3, law.FinalLoss.Runs);
        Assert.Equal(0, law.FinalLoss.NonFinite);
        Assert.True(law.FinalLoss.MaxRelErr < 1e-6, $"max relative error {law.FinalLoss.MaxRelErr}");
        foreach (var fit in law.Fits)
            Assert.Equal(Truth(fit.Lr!.Value)[AnnealingLaw.C], fit.Fit.Parameters[AnnealingLaw.C], 1e-4 * Truth(fit.Lr.Value)[AnnealingLaw.C]);
        Assert.All(law.Offsets.Values, o => Assert.Equal(Shift, o, 1e-6));

        // 4 (horizon, LR) groups of 3 held-out runs (fractions 0.5, 0.8 and the cosine).
        Assert.Equal(["S=600 lr=0.001", "S=600 lr=0.002", "S=1200 lr=0.001", "S=1200 lr=0.002"], law.Groups.Select(g => g.Key));
        Assert.Equal(new HitRates(4, 4, 4, 0), law.ByGroup);
        Assert.Equal(new HitRates(2, 2, 2, 0), law.AtBestLr);
        Assert.Equal(new HitRates(2, 2, 2, 0), law.AcrossLrs);

        // Best linear cooldown per (LR, horizon) among 0.2 (trained on), 0.5 and 0.8: predicted = actual.
        Assert.Equal(4, law.BestCooldown.Count);
        Assert.All(law.BestCooldown, b => Assert.True(b.Hit && b.Regret == 0 && b.Candidates == 3, b.ToString()));
        Assert.Equal("diverged", Assert.Single(result.Excluded).Run.Name);
    }

    [Fact]
    public void TheJointLawIsFittedWithTheGivenJointOptions()
    {
        var options = new GridOptions { TrainFraction = 0.2, Pooled = true, Joint = new HyperLaws.Laws.Joint.JointFitOptions { Noise = HyperLaws.Laws.Joint.JointNoise.Clock } };
        var law = Assert.Single(ScheduleGrid.Run(Grid(), ["joint"], options).Laws);
        var fit = Assert.Single(law.Fits).Fit;
        Assert.Equal(HyperLaws.Laws.Joint.JointNoise.Clock, Assert.IsType<HyperLaws.Laws.Joint.JointLaw>(fit.Law).Options.Noise);
        Assert.True(double.IsFinite(fit.Objective));
        // The clock's fit leaves the twelve free lag weights at 0.
        Assert.All(Enumerable.Range(HyperLaws.Laws.Joint.JointLaw.FirstNoise, HyperLaws.Laws.Joint.JointLaw.NoiseCount), m => Assert.Equal(0, fit.Parameters[m]));
    }

    [Fact]
    public void AFractionWithoutRunsIsRejected()
    {
        var e = Assert.Throws<ArgumentException>(() => ScheduleGrid.Run(Grid(), ["tissue"], new GridOptions { TrainFraction = 0.3 }));
        Assert.Contains("0.3", e.Message, StringComparison.Ordinal);
        Assert.Contains("available: 0.2, 0.5, 0.8", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AMissingFolderNamesIt()
    {
        string root = Path.Combine(Path.GetTempPath(), "hyperlaws-no-such-" + Guid.NewGuid().ToString("N"));
        var e = Assert.Throws<ValidationDataException>(() => ScheduleGrid.Load(root));
        Assert.Contains(Path.Combine(root, "lr-scheduling", "data"), e.Message, StringComparison.Ordinal);
    }
}
