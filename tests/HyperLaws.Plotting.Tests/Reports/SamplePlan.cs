using HyperLaws.Planning;
using HyperLaws.Schedules;

namespace HyperLaws.Plotting.Tests.Reports;

/// <summary>
/// A training plan built by hand with realistic numbers: a 1.2B-parameter model on 24B tokens with AdamW, batch and LR
/// from the Step Law rules (Li et al. 2025: eta = 1.79 N^-0.713 D^0.307, B = 0.58 D^0.571 tokens), a WSD schedule and
/// four runner-ups whose loss curves follow a toy schedule law, a warmup x peak contour with a diverging corner, the
/// divergence margin (figure data: <see cref="Data"/>), two laws' held-out curves, and reasons and warnings as numbers.
/// </summary>
internal static class SamplePlan
{
    public const double Parameters = 1.2e9;
    public const double Tokens = 2.4e10;
    public const int SequenceLength = 2048;
    public const int BatchSequences = 256;
    public const int Steps = 45_776; // round(2.4e10 / (256 x 2048))
    public const double Peak = 1.1e-3;

    /// <summary>A hostile string: markup, an ampersand and quotes, which must come out escaped.</summary>
    public const string Hostile = "<script>alert('x')</script> & \"quoted\" <b>bold</b>";

    public static double StepLawLr(double tokens) => 1.79 * Math.Pow(Parameters, -0.713) * Math.Pow(tokens, 0.307);

    public static double StepLawBatch(double tokens) => 0.58 * Math.Pow(tokens, 0.571);

    /// <summary>The candidates ranked by predicted final loss, with their curves: the first is the plan, the rest its runner-ups.</summary>
    private static (PlannedSchedule Plan, PlannedCurve Curve)[] Ranked() =>
        [
            .. new[]
            {
                Planned(new WsdSchedule(Peak, Steps, 500, cooldown: 0.2, floor: Peak / 100), 0.02),
                Planned(new WsdSchedule(Peak, Steps, 1000, cooldown: 0.15, floor: Peak / 100), 0.03),
                Planned(new CosineSchedule(Peak, Steps, 500, floor: Peak / 10), 0.02),
                Planned(new WsdSchedule(0.8 * Peak, Steps, 500, cooldown: 0.2, floor: Peak / 100), 0.01),
                Planned(new LinearSchedule(1.4 * Peak, Steps, 500, floor: 0), 0.12),
            }.OrderBy(p => p.Plan.PredictedLoss),
        ];

    /// <summary>The figure data of <see cref="Create"/>'s plan: the candidates' curves, the contour and the divergence margin.</summary>
    public static PlanFigureData Data() => new([.. Ranked().Select(r => r.Curve)], Contour(), Divergence());

    public static TrainingPlan Create()
    {
        double ruleLr = StepLawLr(Tokens);
        var ranked = Ranked().Select(r => r.Plan).ToArray();
        var best = ranked[0];
        PlannedSchedule[] runnerUps = ranked[1..];

        double[] budgets = Samples.LogSpace(8, 12, 30);
        var scaling = new ScalingFigureData(
            [
                new RuleCurve("Step Law (Li et al. 2025)", budgets, [.. budgets.Select(StepLawLr)], Chosen: true),
                new RuleCurve("DeepSeek LLM (Bi et al. 2024)", budgets, [.. budgets.Select(t => 0.3118 * Math.Pow(6 * Parameters * t, -0.125))], Chosen: false),
            ],
            [
                new RuleCurve("Step Law (Li et al. 2025)", budgets, [.. budgets.Select(StepLawBatch)], Chosen: true),
                new RuleCurve("DeepSeek LLM (Bi et al. 2024)", budgets, [.. budgets.Select(t => 0.292 * Math.Pow(6 * Parameters * t, 0.3271))], Chosen: false),
            ],
            [new ScalingPoint("plan", Tokens, Peak), new ScalingPoint("run 60M, 1.2B tokens", 1.2e9, 2.4e-3), new ScalingPoint("run 160M, 3.2B tokens", 3.2e9, 1.9e-3), new ScalingPoint("run 400M, 8B tokens", 8e9, 1.5e-3)],
            [new ScalingPoint("plan", Tokens, BatchSequences * SequenceLength), new ScalingPoint("run 60M, 1.2B tokens", 1.2e9, 131072), new ScalingPoint("run 160M, 3.2B tokens", 3.2e9, 262144), new ScalingPoint("run 400M, 8B tokens", 8e9, 524288)]);

        return new TrainingPlan(
            new PlanRequest(Parameters, Tokens, TrainingOptimizer.AdamW) { SequenceLength = SequenceLength },
            new PlanHyperparameters(BatchSequences * (double)SequenceLength, BatchSequences, Steps, 0.9, ruleLr, "anchor", "Step Law (Li et al. 2025)"),
            "optlaw",
            best,
            runnerUps,
            [
                new PlanReason(ReasonKind.BatchAnchor, "Step Law (Li et al. 2025)")
                {
                    Chosen = BatchSequences * (double)SequenceLength,
                    Quantities = new Dictionary<string, double> { ["exponent"] = 0.571, ["ratio"] = 2.5, ["referenceBatch"] = 209715, ["r"] = 5, ["batchTokens"] = BatchSequences * (double)SequenceLength },
                },
                new PlanReason(ReasonKind.PeakLr, "optlaw")
                {
                    Chosen = Peak,
                    Axis = new AxisDecision(PlanAxis.PeakLr, Peak, 2.41, Peak, 2.41, ruleLr / 64, ruleLr * 64, AxisBound.Interior, 0.03, 0.7 * Peak, 1.6 * Peak, false, false,
                        [new(0.5 * Peak, 2.46), new(Peak, 2.41), new(2 * Peak, 2.45)], new WsdSchedule(Peak, Steps, 500, cooldown: 0.2, floor: Peak / 100).ToSpec()),
                },
                new PlanReason(ReasonKind.Family, Hostile)
                {
                    ChosenLabel = "wsd",
                    Chosen = 2.41,
                    Considered = [new("wsd", Peak, 2.41), new("cosine", Peak, 2.414)],
                    Quantities = new Dictionary<string, double> { ["warmup"] = 500, ["cooldown"] = 0.2 },
                },
            ],
            [
                new PlanWarning(WarningKind.HorizonExtrapolated) { Quantities = new Dictionary<string, double> { ["steps"] = Steps, ["longest"] = 15_000 } },
                new PlanWarning(WarningKind.Transfer) { Detail = "No divergence runs at this size & batch: " + Hostile },
            ],
            [Accuracy("optlaw", 3, 0.004), Accuracy("mpl", 2, 0.006)],
            scaling)
        {
            Interval = IntervalKind.HeldOutWorst,
            IntervalRelativeError = 0.0088,
            IntervalProtocol = "fitted on the 60M and 160M runs, predicting the 400M runs",
            Runs = ["data/runs/60M.csv", "data/runs/160M.csv", "data/runs/400M.csv"],
        };
    }

    /// <summary>A toy schedule law for the curves: L = 2.1 + 1.4 (S1 / 10)^-0.45 - 0.12 (1 - eta_t / peak) (S1: the LR area so far).</summary>
    public static (PlannedSchedule Plan, PlannedCurve Curve) Planned(LrSchedule schedule, double divergenceProbability)
    {
        double[] lr = schedule.Evaluate();
        double peak = lr.Max();
        var steps = new List<double>();
        var loss = new List<double>();
        double s1 = 0;
        for (int t = 1; t <= lr.Length; t++)
        {
            s1 += lr[t - 1];
            if (t % 200 == 0 || t == lr.Length || t <= 5)
            {
                steps.Add(t);
                loss.Add(2.1 + 1.4 * Math.Pow(s1 / 10, -0.45) - 0.12 * (1 - lr[t - 1] / peak));
            }
        }

        double final = loss[^1];
        return (new PlannedSchedule(schedule, final, final - 0.03, final + 0.03, divergenceProbability > 0.5, divergenceProbability), new PlannedCurve(schedule.ToSpec(), [.. steps], [.. loss]));
    }

    public static ContourFigureData Contour()
    {
        double[] peaks = Samples.LogSpace(Math.Log10(2.5e-4), Math.Log10(4e-3), 13);
        double[] warmups = [.. Samples.LogSpace(2, Math.Log10(4000), 10).Select(w => Math.Round(w))];
        var loss = new double[warmups.Length, peaks.Length];
        for (int r = 0; r < warmups.Length; r++)
            for (int c = 0; c < peaks.Length; c++)
                loss[r, c] = peaks[c] > 3e-3 && warmups[r] < 300 ? double.NaN
                    : 2.35 + 0.04 * Math.Pow(Math.Log(peaks[c] / Peak), 2) + 0.01 * Math.Pow(Math.Log(warmups[r] / 500), 2);
        return new ContourFigureData("wsd", peaks, warmups, loss, Peak, 500);
    }

    public static DivergenceFigureData Divergence()
    {
        double[] peaks = Samples.LogSpace(-4, -2, 30);
        return new DivergenceFigureData(peaks, [.. peaks.Select(p => 0.9 * Math.Pow(p / 3e-3, 1.2))],
            [.. peaks.Select(p => 1 / (1 + Math.Exp(-4 * Math.Log(p / 3.2e-3))))], 3.2e-3, Peak, "Opt-Laws area ratio + logistic classifier");
    }

    private static LawAccuracy Accuracy(string law, int runs, double error)
    {
        var curves = new List<HeldOutCurve>();
        for (int k = 0; k < runs; k++)
        {
            double[] steps = [.. Enumerable.Range(1, 60).Select(i => i * 250.0)];
            double scale = 1 + 0.4 * k;
            double[] actual = [.. steps.Select(s => 2.4 + 6 * Math.Pow(s * scale, -0.35))];
            double[] predicted = [.. actual.Select((a, i) => a * (1 + error * Math.Sin(i / 7.0 + k)))];
            curves.Add(new HeldOutCurve($"{law} held-out run {k + 1}", steps, actual, predicted));
        }

        return new LawAccuracy(law, "fitted on the 60M and 160M runs, predicting the 400M runs", error, 1.6 * error, 2.2 * error, curves);
    }
}
