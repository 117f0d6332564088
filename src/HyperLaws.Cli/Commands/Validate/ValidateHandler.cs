using HyperLaws.Cli.Output;
using HyperLaws.Runs;
using HyperLaws.Validation;

namespace HyperLaws.Cli.Commands.Validate;

/// <summary>
/// The handler of <c>hyperlaws validate</c>: from <see cref="ValidateSettings"/> to the protocol (HyperLaws.Validation)
/// and its <see cref="ValidateResult"/> record. Missing data are user errors, raised before any protocol runs; progress
/// goes to stderr only; nothing reaches stdout here (<see cref="ValidateRenderer"/> prints the record).
/// </summary>
internal static class ValidateHandler
{
    /// <summary>Runs the protocol the settings name.</summary>
    public static ValidateResult Run(CliIo io, ValidateSettings s)
    {
        Action<string>? progress = s.Quiet || s.Json ? null : m => io.Err.WriteLine("validate: " + m);
        if (s.Intervals.Requested) return Intervals(s, progress);
        return s.Protocol switch
        {
            1 => MplSplitScores(s.Data, s.Laws, s.Sizes, progress),
            2 => CrossSizeScores(s.Data, s.Laws, progress, s.JointFitNoisePower, s.SizeExponent, s.PooledSizeData),
            3 when s.LrHoldout => new LrHoldOutScoreboard(UserInputException.Guard(() => LrHoldOut.Grid(ScheduleGrid.Load(Grid3(s.Data)), s.TrainFraction is { } f ? new[] { f } : null, progress))),
            3 => ScheduleGridScores(s.Data, s.LawsGiven ? s.Laws : ScheduleGrid.DefaultLaws, s.TrainFraction, s.Pooled, s.FitOn, s.JointNoise, s.JointNoisePowers, s.JointLasting, s.JointLastingOwnScale, progress, s.JointEdge, s.SharedShape, s.MplWideStarts, s.JointFitNoisePower, s.Ensemble),
            4 when s.LawsGiven && s.Laws.Contains("joint") => StepLawJointScores(s.Data, StepLawJointOptionsOf(s), progress, s.JointEdge),
            4 when s.JointEdge is not null => throw new UserInputException("--joint-edge applies to protocol 4 only with --laws joint (the joint law's report)."),
            4 when s.JointLasting => throw new UserInputException("--joint-lasting applies to protocol 4 only with --laws joint (the joint law's report)."),
            4 => StepLawScores(s.Data, progress),
            5 => new CriticalBatchScoreboard(UserInputException.Guard(() => CriticalBatch.Run(CriticalBatch.Load(s.Data)))),
            6 => PlanBacktestScores(s.Data, PlanBacktestOptionsOf(s), progress),
            7 or 8 => LrAxisScores(s.Data, s.Laws, s.FitOn, s.Protocol, JointOptions(LrAxis.DefaultJoint, s.JointNoise, s.JointNoisePowers, s.JointLasting, s.JointLastingOwnScale, s.JointFitNoisePower, s.JointPeakNoisePower, s.JointPeakFitNoisePower, s.JointEffectiveStepClock, s.JointNoiseLagPrior), progress, s.JointEdge),
            10 => LrTransferScores(s.Data, s.FitOn, progress, s.JointFitNoisePower),
            14 => CrossDataScores(s.Data, s.Laws, progress, s.Identification, s.StallCheck, s.StallHold),
            15 => new CrossDataScoreboard(UserInputException.Guard(() => CrossDataAlgoPerf.Run(CrossDataAlgoPerf.Load(s.Data), s.Laws, progress, s.Identification, s.StallCheck, s.StallHold)), 15),
            16 => new CrossDataScoreboard(UserInputException.Guard(() => CrossDataPythia.Run(CrossDataPythia.Load(s.Data), s.Laws, progress, s.Identification, s.StallCheck, s.StallHold)), 16),
            17 when s.Rank && s.LrHoldout => new LrHoldOutScoreboard(UserInputException.Guard(() => LrHoldOut.LrSchedule(CrossDataLrSchedule.Load(s.Data).Runs, progress: progress))),
            17 when s.Rank => new LrScheduleRankingScoreboard(UserInputException.Guard(() => LrScheduleRanking.Run(CrossDataLrSchedule.Load(s.Data).Runs, progress: progress))),
            17 when s.CrossSize => new LrScheduleCrossSizeScoreboard(UserInputException.Guard(() => CrossSizeLrSchedule.Run(CrossDataLrSchedule.Load(s.Data).Runs, s.Laws, progress, axis: s.Axis)), s.Axis),
            17 => LrScheduleScores(s.Data, s.Laws, progress, s.Identification, s.StallCheck, s.StallHold),
            20 when s.LawsGiven && !s.Laws.All(l => l == "joint") => throw new UserInputException($"--laws {string.Join(",", s.Laws)}: protocol 20 scores the joint law only (--laws joint or none)."),
            20 => new LrSweepHoldOutScoreboard(UserInputException.Guard(() => LrSweepHoldOut.Run(AdamW(LrSweepHoldOut.Load(s.Data), 20), progress, LrSweepOptionsOf(s))), s.JointLagPriorNeedsCurves),
            22 when s.LawsGiven => throw new UserInputException($"--laws {string.Join(",", s.Laws)}: protocol 22 scores its declared laws (joint, chinchilla and the baseline); --laws does not apply."),
            22 => MarinSizeScores(s.Data, s.PooledSizeData, progress, new HyperLaws.Laws.Joint.JointFitOptions { LrBatchScale = s.JointBatchScaleFit, LrBatchExponent = s.JointBatchExponent }),
            23 when s.LawsGiven && !s.Laws.All(l => l == "joint") => throw new UserInputException($"--laws {string.Join(",", s.Laws)}: protocol 23 scores the joint law only (--laws joint or none)."),
            23 => new LrSweepOptimizersScoreboard(UserInputException.Guard(() => LrSweepOptimizers.Run(LrSweepHoldOut.Load(s.Data, 23), s.Optimizer, progress, s.DivergenceLabel))),
            24 when s.LawsGiven && !s.Laws.All(l => l == "joint") => throw new UserInputException($"--laws {string.Join(",", s.Laws)}: protocol 24 scores the joint law only (--laws joint or none)."),
            24 => MarinChangesScores(s.Data, s.Optimizer, progress),
            25 when s.LawsGiven && !s.Laws.All(l => l == "joint") => throw new UserInputException($"--laws {string.Join(",", s.Laws)}: protocol 25 scores the joint law only (--laws joint or none)."),
            25 => new HorizonSweepScoreboard(UserInputException.Guard(() => HorizonSweep.Run(HorizonSweep.Load(s.Data), progress))),
            var p => throw new UserInputException($"--protocol {p} is not available (available: 1, 2, 3, 4, 5, 6, 7, 8, 10, 14, 15, 16, 17, 20, 22, 23, 24, 25)."),
        };
    }

    /// <summary>Protocols 20's and 22's runs: the AdamW tables of a folder that may hold other optimizers' too (protocol 23's, from the same fetch.sh).</summary>
    private static SweepTable AdamW(SweepTable table, int protocol)
    {
        var points = table.Points.Where(p => p.Configuration == LrSweepOptimizersResult.Reference).ToList();
        return points.Count > 0 ? new SweepTable(points) : throw new UserInputException($"protocol {protocol} reads Marin's AdamW tables: the folder's manifest lists none (protocol 23 reads the other optimizers').");
    }

    /// <summary>Protocol 24: Marin's rows that change the warmup, the final LR ratio or the batch alone, predicted by the joint law fitted on the baseline and LR rows.</summary>
    private static MarinChangesScoreboard MarinChangesScores(string data, string? optimizer, Action<string>? progress)
    {
        var (table, rows) = UserInputException.Guard(() => MarinChanges.Load(data));
        return new(UserInputException.Guard(() => MarinChanges.Run(table, rows, optimizer, progress)));
    }

    /// <summary>Protocol 14: public runs from outside shared/data, listed in DATA/manifest.json (benchmarks/foreign-runs/fetch.sh).</summary>
    private static CrossDataScoreboard CrossDataScores(string data, IReadOnlyList<string> laws, Action<string>? progress, HyperLaws.Fitting.IdentificationRule? rule, bool stallCheck, HyperLaws.Fitting.StallHold hold)
    {
        var (runs, horizon) = UserInputException.Guard(() => CrossData.Load(data));
        return new(UserInputException.Guard(() => CrossData.Run(runs, horizon, laws, progress, rule: rule, stallCheck: stallCheck, hold: hold)));
    }

    /// <summary>Protocol 17: the lr-scheduling runs outside shared/data (benchmarks/foreign-runs-lrsched/fetch.sh), first half to final and shorter horizon to longer.</summary>
    private static CrossDataScoreboard LrScheduleScores(string data, IReadOnlyList<string> laws, Action<string>? progress, HyperLaws.Fitting.IdentificationRule? rule, bool stallCheck, HyperLaws.Fitting.StallHold hold)
    {
        var (runs, horizons) = UserInputException.Guard(() => CrossDataLrSchedule.Load(data));
        return new(UserInputException.Guard(() => CrossDataLrSchedule.Run(runs, horizons, laws, progress, rule, stallCheck, hold)), 17);
    }

    /// <summary>Protocol 1: each size of the MPL split in turn.</summary>
    private static MplSplitScoreboard MplSplitScores(string data, IReadOnlyList<string> laws, IReadOnlyList<string> sizes, Action<string>? progress)
    {
        MplSplit.CurveFolder(data);
        return new([.. sizes.Select(size => UserInputException.Guard(() => MplSplit.Run(data, size, laws, progress)))]);
    }

    /// <summary>Protocol 22: Marin's tables across size and data (<see cref="MarinSize"/>); with --size-exponent pooled=DIR also beta pooled with protocol 17c's.</summary>
    private static MarinSizeScoreboard MarinSizeScores(string data, string? pooledData, Action<string>? progress, HyperLaws.Laws.Joint.JointFitOptions joint)
    {
        var table = UserInputException.Guard(() => AdamW(LrSweepHoldOut.Load(data, 22), 22));
        var pooled = pooledData is null ? null : UserInputException.Guard(() => PooledSizeExponent.SlimPajamaSource(PooledRuns(pooledData).Runs));
        return new(UserInputException.Guard(() => MarinSize.Run(table, progress, pooledWith: pooled, joint: joint)));
    }

    /// <summary>The lr-scheduling runs of --size-exponent pooled=DIR; a folder missing or not laid out so is named by that option (was: by --data).</summary>
    private static (IReadOnlyList<CrossDataRun> Runs, IReadOnlyList<(string From, string To)> Horizons) PooledRuns(string dir)
    {
        try
        {
            return CrossDataLrSchedule.Load(dir);
        }
        catch (ValidationDataException e)
        {
            throw new UserInputException($"--size-exponent pooled={dir}: {e.Message}");
        }
    }

    /// <summary>Protocol 2: each law across sizes, fitted on the 25M and 100M curves, predicting every 400M curve.</summary>
    /// With <paramref name="pooledData"/> (--size-exponent pooled=DIR) beta is first fitted jointly on protocol 2's and protocol 17c's
    /// training sizes (<see cref="PooledSizeExponent"/>; protocol 17c's objective from its converged profile over beta, docs/VALIDATION.md
    /// "Protocol 2's pooled beta from a converged profile"), then given.
    private static CrossSizeScoreboard CrossSizeScores(string data, IReadOnlyList<string> laws, Action<string>? progress, bool fitPower = false, double? sizeExponent = null, string? pooledData = null)
    {
        MplSplit.CurveFolder(data);
        PooledExponentResult? pooled = null;
        if (pooledData is not null)
        {
            pooled = UserInputException.Guard(() => PooledSizeExponent.Fit(PooledSizeExponent.Sources(data, PooledRuns(pooledData).Runs, slimPajamaProfile: true), progress));
            sizeExponent = pooled.Pooled.Beta;
        }
        return new(UserInputException.Guard(() => CrossSize.Run(data, laws, progress, jointFitNoisePower: fitPower, sizeExponent: sizeExponent)), sizeExponent) { Pooled = pooled };
    }

    /// <summary>Protocol 3: the 124M grid at the training fraction asked for (null: each in turn).</summary>
    private static ScheduleGridScoreboard ScheduleGridScores(string data, IReadOnlyList<string> laws, double? trainFraction, bool pooled, LossSplit fitOn, HyperLaws.Laws.Joint.JointNoise? jointNoise, IReadOnlyList<double>? noisePowers, bool lasting, bool lastingOwn, Action<string>? progress, HyperLaws.Laws.Joint.JointEdgeHeight? edge = null, bool sharedShape = false, bool wideStarts = false, bool fitPower = false, bool ensemble = false)
    {
        string folder = GridFolder(data, 3);
        var runs = ScheduleGrid.Load(data);
        bool all = trainFraction is null;
        var options = new GridOptions { FitOn = fitOn, Pooled = pooled, TrainFraction = trainFraction ?? 0.2, JointEdge = edge, SharedMplShape = sharedShape, MplWideStarts = wideStarts };
        options = options with { Joint = JointOptions(new HyperLaws.Laws.Joint.JointFitOptions(), jointNoise, noisePowers, lasting, lastingOwn, fitPower) };
        var results = Fractions(runs, trainFraction, folder).Select(f =>
        {
            var at = options with { TrainFraction = f };
            Action<string>? say = progress is { } p && all ? m => p(FormattableString.Invariant($"train fraction {f}: {m}")) : progress;
            return UserInputException.Guard(() => ensemble ? EnsembleGrid.Run(runs, at, say) : ScheduleGrid.Run(runs, laws, at, say));
        }).ToList();
        return new(all, results);
    }

    /// <summary>The joint law's options with --joint-noise, --joint-noise-power (a power, 'fit', 'peak', 'peak-fit', 'peak-fit-clock' or 'peak-fit-lagprior') and --joint-lasting applied; null (the protocol's default) when none was given.</summary>
    private static HyperLaws.Laws.Joint.JointFitOptions? JointOptions(HyperLaws.Laws.Joint.JointFitOptions start, HyperLaws.Laws.Joint.JointNoise? noise, IReadOnlyList<double>? powers, bool lasting, bool lastingOwn = false, bool fitPower = false, bool peakPower = false, bool peakFit = false, bool clock = false, bool lagPrior = false)
    {
        if (noise is null && powers is null && !lasting && !fitPower && !peakPower) return null;
        var options = lasting ? start with { LastingLr = true, LastingOwnScale = lastingOwn } : start;
        if (noise is { } n) options = options with { Noise = n };
        // Each power setting is used as asked, whatever the default: a power p (no q), p fitted (one power), q alone (p = 1), or both.
        if (powers is not null) options = options.WithPowersOnly(powers);
        if (fitPower) options = options with { FitNoisePower = true };
        if (peakPower) options = options with { PeakNoisePower = !peakFit, IdentifiedNoisePower = false, NoisePowersWhereIdentified = peakFit };
        // The effective step's clock only with 'peak-fit-clock'; any other power setting without it.
        options = options with { EffectiveStepClock = clock };
        // A power setting given: the noise lags' shares at their prior only with 'peak-fit-lagprior' (else the default's, on since helper lagdefault).
        if (powers is not null || fitPower || peakPower) options = options with { NoiseLagPrior = lagPrior };
        return options;
    }

    /// <summary>The training fractions to run: all of them (<paramref name="fraction"/> null), or the one asked for if the grid has it.</summary>
    private static IReadOnlyList<double> Fractions(IReadOnlyList<GridRun> runs, double? fraction, string folder)
    {
        var available = ScheduleGrid.Fractions(runs);
        if (available.Count == 0) throw new UserInputException($"--data: {folder} holds no linear-cooldown WSD runs to train on.");
        if (fraction is not { } f) return available;
        if (!available.Contains(f))
            throw new UserInputException(FormattableString.Invariant($"--train-fraction: no linear-cooldown runs with fraction {f} in {folder} (available: {string.Join(", ", available.Select(ScheduleGridRenderer.Num))}, or 'all')."));
        return [f];
    }

    /// <summary>
    /// Protocol 4 on the Step Law grid: the optimal LR and batch per cell and the held-out divergence predictor
    /// (with the lr-scheduling runs as one more cell).
    /// </summary>
    private static StepLawScoreboard StepLawScores(string data, Action<string>? progress)
    {
        StepLawTable(data, 4);
        var result = UserInputException.Guard(() => StepLawGrid.Run(data, progress));
        progress?.Invoke("divergence: labelling the Step Law and lr-scheduling runs, holding out each cell in turn ...");
        var divergence = UserInputException.Guard(() => DivergenceValidation.Run(data));
        return new(result, divergence, data);
    }

    /// <summary>Protocol 4 with <c>--laws joint</c>: the joint law's LR/batch optimum per Step Law cell, leave one cell out.</summary>
    /// <param name="data">The data folder.</param>
    /// <param name="lrSizeScale">Fit gamma_eta, the LR's own size exponent (<see cref="HyperLaws.Laws.Joint.JointFitOptions.LrSizeScale"/>).</param>
    /// <param name="lrDataScale">Also fit delta_eta, the LR's data scale (<see cref="HyperLaws.Laws.Joint.JointFitOptions.LrDataScale"/>).</param>
    /// <param name="lasting">Also fit the lasting term G g(peak LR) (<see cref="HyperLaws.Laws.Joint.JointFitOptions.LastingLr"/>).</param>
    /// <param name="progress">Progress lines, or null.</param>
    /// <param name="lastingOwn">The lasting term's own scale kappa_l (<see cref="HyperLaws.Laws.Joint.JointFitOptions.LastingOwnScale"/>).</param>
    /// <param name="edge">Also fit the stability-edge cost (<see cref="HyperLaws.Laws.Joint.JointFitOptions.StabilityEdge"/>, the edge per fold from the training cells' labels).</param>
    /// <param name="fitPower">Fit the noise power p (<see cref="HyperLaws.Laws.Joint.JointFitOptions.FitNoisePower"/>, --joint-noise-power fit).</param>
    private static StepLawJointScoreboard StepLawJointScores(string data, HyperLaws.Laws.Joint.JointFitOptions options, Action<string>? progress, HyperLaws.Laws.Joint.JointEdgeHeight? edge)
    {
        StepLawTable(data, 4);
        var table = StepLawGrid.Load(data);
        return new(UserInputException.Guard(() => StepLawJoint.Run(table, progress, options, edge)), options.LrSizeScale, options.LrDataScale, options.LastingLr, options.NoiseLagPriorNeedsCurves,
            options.LrBatchScale, options.LrBatchExponent);
    }

    /// <summary>Protocol 4's joint-law fit options from the settings (--no-lr-size-scale, --lr-data-scale, --joint-lasting, --joint-noise-power fit, --joint-lag-prior-curves-only).</summary>
    internal static HyperLaws.Laws.Joint.JointFitOptions StepLawJointOptionsOf(ValidateSettings s) => new()
    {
        GroupOffsets = true, LrSizeScale = s.LrSizeScale, LrDataScale = s.LrDataScale, LastingLr = s.JointLasting, LastingOwnScale = s.JointLastingOwnScale,
        FitNoisePower = s.JointFitNoisePower, NoiseLagPriorNeedsCurves = s.JointLagPriorNeedsCurves,
        LrBatchScale = s.JointBatchScaleFit, LrBatchExponent = s.JointBatchExponent,
    };

    /// <summary>Protocol 20's fit options from the settings (--joint-lag-prior-curves-only).</summary>
    internal static HyperLaws.Laws.Joint.JointFitOptions LrSweepOptionsOf(ValidateSettings s) => LrSweepHoldOut.DefaultOptions with { NoiseLagPriorNeedsCurves = s.JointLagPriorNeedsCurves };

    /// <summary>
    /// Protocol 6's options from the settings: the laws given (else the backtest's default laws); the curves to fit on (the one --fit-on
    /// names, or both: train, the planner's default, then val); --plan-interval's rule (finite-sample, centred, cross-step, pseudo-step;
    /// else the planner's default); --no-plan-ridge (the held-out checks without the flat-ridge stop); --plan-anchor (on/off:
    /// <see cref="HyperLaws.Planning.PlanOptions.AnchoredLoss"/>; pairs/nearest: <see cref="HyperLaws.Planning.PlanOptions.AnchoredIntervalPairs"/>;
    /// across/cross-lr: <see cref="HyperLaws.Planning.PlanOptions.AnchorAcrossLr"/>, <see cref="HyperLaws.Planning.PlanOptions.ForceAnchorAcrossLr"/>;
    /// else the planner's default); --plan-runs-peak (on/off: <see cref="HyperLaws.Planning.PlanOptions.PeakFromRunsEvidence"/>; best: on and
    /// <see cref="HyperLaws.Planning.PlanOptions.PeakFromRunsBest"/>; else the planner's default); --plan-runs-loss
    /// (final/last: <see cref="HyperLaws.Planning.PlanOptions.PeakFromFinalEvaluation"/> true/false; else the planner's default).
    /// </summary>
    internal static PlanBacktestOptions PlanBacktestOptionsOf(ValidateSettings s)
    {
        ArgumentNullException.ThrowIfNull(s);
        var options = new PlanBacktestOptions { FitOn = s.FitOnGiven ? [s.FitOn] : [LossSplit.Train, LossSplit.Validation], FiniteSampleIntervals = s.FiniteSampleIntervals };
        if (s.NoPlanRidge) options = options with { HeldOutRidgeTolerance = 0 };
        if (s.CentredIntervals is { } c) options = options with { CentredIntervals = c };
        if (s.CrossStepIntervals is { } x) options = options with { CrossStepIntervals = x };
        if (s.PseudoStepIntervals is { } ps) options = options with { PseudoStepIntervals = ps };
        if (s.ShapeIntervals is { } si) options = options with { ShapeIntervals = si };
        if (s.PlanAnchor is { } an) options = options with { AnchoredLoss = an };
        if (s.PlanAnchorPairs is { } ap) options = options with { AnchoredIntervalPairs = ap };
        if (s.PlanAnchorAcrossLr.Length > 0) options = options with { AnchorAcrossLr = HyperLaws.Planning.AcrossLrAnchor.LrLaw, ForceAnchorAcrossLr = s.PlanAnchorAcrossLr == "cross-lr" };
        if (s.PlanRunsPeak is { } runsPeak) options = options with { PeakFromRunsEvidence = runsPeak };
        if (s.PlanRunsBest is { } runsBest) options = options with { PeakFromRunsBest = runsBest };
        if (s.PlanRunsFinal is { } runsFinal) options = options with { PeakFromFinalEvaluation = runsFinal };
        if (s.LawsGiven) options = options with { Laws = s.Laws };
        return options;
    }

    /// <summary>
    /// Protocol 6: <c>plan</c> backtested on the 124M grid, each horizon planned from what was known before it (<paramref name="options"/>:
    /// <see cref="PlanBacktestOptionsOf"/>); with <paramref name="data"/> a protocol-17 folder (its manifest, no lr-scheduling/data), protocol 17p per set.
    /// </summary>
    private static ValidateResult PlanBacktestScores(string data, PlanBacktestOptions options, Action<string>? progress)
    {
        if (!Directory.Exists(Path.Combine(data, "lr-scheduling", "data")) && File.Exists(Path.Combine(data, CrossData.ManifestName)))
            return new PlanBacktestSetsScoreboard(UserInputException.Guard(() => PlanBacktestSets.Run(PlanBacktestSets.Load(data), options, progress)));
        GridFolder(data, 6);
        return new PlanBacktestScoreboard(UserInputException.Guard(() => PlanBacktest.Run(ScheduleGrid.Load(data), options, progress)));
    }

    /// <summary>Protocols 7 (leave one LR out) and 8 (cross-family) on the 124M grid.</summary>
    private static LrAxisScoreboard LrAxisScores(string data, IReadOnlyList<string> laws, LossSplit fitOn, int protocol, HyperLaws.Laws.Joint.JointFitOptions? joint, Action<string>? progress, HyperLaws.Laws.Joint.JointEdgeHeight? edge = null)
    {
        GridFolder(data, protocol);
        var runs = ScheduleGrid.Load(data);
        return new(UserInputException.Guard(() => protocol == 7 ? LrAxis.LeaveOneLrOut(runs, laws, fitOn, progress, joint, edge) : LrAxis.CrossFamily(runs, laws, fitOn, progress, joint, edge)));
    }

    /// <summary>Protocol 10: the LR-axis prior fitted on Step Law, transferred to the 124M grid.</summary>
    private static LrTransferScoreboard LrTransferScores(string data, LossSplit fitOn, Action<string>? progress, bool fitPower = false)
    {
        GridFolder(data, 10);
        if (!File.Exists(StepLawGrid.TablePath(data)))
            throw new UserInputException($"--data: {StepLawGrid.TablePath(data)} not found (protocol 10 fits its prior on the Step Law grid; try --data ../shared/data).");
        var prior = UserInputException.Guard(() => LrTransfer.FitPrior(data));
        var runs = ScheduleGrid.Load(data);
        return new(prior, UserInputException.Guard(() => LrTransfer.Run(prior, runs, fitOn, progress, fitPower)));
    }

    /// <summary>--intervals: protocol 1's bootstrap calibration, or protocol 9's conformal calibration on the splits of protocols 2, 3 and 6.</summary>
    private static ValidateResult Intervals(ValidateSettings s, Action<string>? progress)
    {
        var o = s.Intervals;
        if (IntervalCoverage.Protocols.Contains(s.Protocol)) return ConformalIntervals(o, s.Protocol, s.Data, s.Laws, progress);
        if (s.Protocol != 1) throw new UserInputException($"--intervals: protocols 1 (bootstrap) and {string.Join(", ", IntervalCoverage.Protocols)} (conformal) have interval calibration (got --protocol {s.Protocol}).");
        MplSplit.CurveFolder(s.Data);
        var options = BootstrapCli.From(o.Replicates ?? IntervalOptions.DefaultReplicates, o.Scheme, o.Seed, o.Level);
        double level = options.Level;
        var sizes = s.Sizes.Select(size => UserInputException.Guard(() => Calibration.Run(s.Data, size, s.Laws, options, level, progress))).ToList();
        return new BootstrapIntervalScoreboard(level, options.Replicates, options.Seed, sizes);
    }

    /// <summary>Protocol 9 on the splits of protocols 2, 3 and 6: conformal intervals calibrated on the training runs (<see cref="IntervalCoverage"/>).</summary>
    private static ConformalIntervalScoreboard ConformalIntervals(IntervalSettings o, int protocol, string data, IReadOnlyList<string> laws, Action<string>? progress)
    {
        if (o.BootstrapGiven is [var name, ..])
            throw new UserInputException($"{name}: the bootstrap applies to protocol 1 only (protocol {protocol} calibrates conformal intervals on held-out residuals).");
        double level = o.Level ?? 0.9;
        if (!(level > 0 && level < 1)) throw new UserInputException($"--level must be between 0 and 1 (got {level.ToString(System.Globalization.CultureInfo.InvariantCulture)}).");
        var grid = protocol == 2 ? null : ScheduleGrid.Load(data);
        var results = new List<IntervalCoverageResult>();
        var sizeTerms = protocol == 2 ? UserInputException.Guard(() => IntervalCoverage.SizePriors(data, level, progress)) : null;
        foreach (string law in laws)
            results.AddRange(UserInputException.Guard(() => protocol switch
            {
                2 => IntervalCoverage.Protocol2(data, law, level, progress, sizeTerms),
                3 => IntervalCoverage.Protocol3WithShape(grid!, law, level, progress),
                _ => IntervalCoverage.Protocol6(grid!, law, level, progress),
            }));
        return new(protocol, level, results);
    }

    /// <summary>The data folder of protocol 3 once its grid folder is checked (<see cref="GridFolder"/>).</summary>
    private static string Grid3(string data)
    {
        GridFolder(data, 3);
        return data;
    }

    /// <summary>The lr-scheduling W&amp;B exports' folder under <paramref name="data"/>; a user error naming the protocol when it is missing.</summary>
    private static string GridFolder(string data, int protocol)
    {
        string folder = Path.Combine(data, "lr-scheduling", "data");
        if (!Directory.Exists(folder))
            throw new UserInputException($"--data: {folder} not found (protocol {protocol} needs the lr-scheduling W&B exports, which the repository does not ship; try --data ../shared/data).");
        return folder;
    }

    /// <summary>Checks that the Step Law grid's table is under <paramref name="data"/>; a user error naming the protocol when it is not.</summary>
    private static void StepLawTable(string data, int protocol)
    {
        if (!File.Exists(StepLawGrid.TablePath(data)))
            throw new UserInputException($"--data: {StepLawGrid.TablePath(data)} not found (protocol {protocol} needs the Step Law grid, which the repository does not ship; try --data ../shared/data).");
    }
}
