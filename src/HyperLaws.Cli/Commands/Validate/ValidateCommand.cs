using System.CommandLine;
using System.Globalization;
using HyperLaws.Cli.Commands.Hosting;
using HyperLaws.Cli.Options;
using HyperLaws.Cli.Output;
using HyperLaws.Runs;
using HyperLaws.Validation;

namespace HyperLaws.Cli.Commands.Validate;

/// <summary>
/// <c>hyperlaws validate</c>: the protocols of ../shared/docs/validation.md (implemented in
/// HyperLaws.Validation) on a data folder laid out like shared/data, printed next to the published numbers.
/// Options are read once into <see cref="ValidateSettings"/>; <see cref="ValidateHandler"/> runs the protocol and returns
/// its <see cref="ValidateResult"/> record; <see cref="ValidateRenderer"/> prints that record as tables or one JSON object.
/// </summary>
internal sealed class ValidateCommand : CliCommand<ValidateSettings>
{
    private readonly Option<string> _data = new("--data") { Description = "Folder laid out like shared/data (protocols 1 and 2 need MultiPowerLaw/loss_curve_repo/csv_{25,100,400}, protocols 3 and 6 lr-scheduling/data, protocol 4 steplaw/data and lr-scheduling/data, protocol 5 critical-batch-size/derived; protocol 14 the folder benchmarks/foreign-runs/fetch.sh makes, protocol 15 a folder benchmarks/foreign-runs-algoperf/fetch.sh makes, protocol 16 the folder benchmarks/foreign-runs-pythia/fetch.sh makes, protocol 17 the folder benchmarks/foreign-runs-lrsched/fetch.sh makes, protocols 20, 22, 23 and 24 the folder benchmarks/foreign-runs-marin/fetch.sh makes, protocol 25 the folder benchmarks/foreign-runs-hyperball/fetch.sh makes); default: the repository's data/.", DefaultValueFactory = _ => "data", HelpName = "DIR" };
    private readonly Option<int> _protocol = new("--protocol") { Description = "Protocol to run (1: the MPL split; 2: cross-size, fit on 25M+100M and predict 400M; 3: the 124M schedule grid; 4: the Step Law grid, optimal LR and batch per (N, D) cell and divergence; 5: critical batch, S(B) = S_min (1 + B_noise/B) per size and B_noise against N; 6: a backtest of 'plan' on the 124M grid, each horizon planned from the shorter runs (with --data a protocol-17 folder: protocol 17p, each set's longest horizon planned from its shorter runs); 7: leave one LR out on the 124M grid; 8: cross-family on the 124M grid, fit on constant and cosine runs, predict the WSD runs; 10: the LR-axis prior fitted on Step Law, the joint law fitted on the 124M runs of one base LR with it, predicting the best LR and the other LRs' final losses; 14: cross-data, public runs from outside shared/data, each law fitted on the first half of each run's validation curve predicting its final loss, and on a shorter run predicting a longer one; 15: the same first-half procedure on the AlgoPerf baseline's logs, a second foreign source; 16: the same on the PolyPythias training-loss curves, a third; 17: the same, and each shorter horizon predicting the longest of its recipe, on the lr-scheduling runs outside shared/data (Llama 33M-360M, SlimPajama and OpenWebText2), a fourth; 20: Marin's AdamW ablations, the peak LR swept alone at 130M-520M and 1-16x Chinchilla, the joint law with an offset per cell, each LR held out in turn, and its LR optimum against the sweep's best; 22: the same tables across model size and data, the joint law with one shared offset fitted on 130m+300m predicting 520m and on 1x-4x predicting 8x/16x, Chinchilla's law and a naive baseline beside it, and beta profiled on all runs; 23: the same per optimizer on Marin's other optimizers' ablations, Muon, Lion, NAdamW, ..., the joint law fitted on one optimizer's runs at a time; 24: the same tables' rows that change the warmup, the final LR ratio or the batch alone, each predicted by the joint law fitted on the baseline and LR rows against the no-change baseline; 25: Marin's LR x horizon sweep of Muon and MuonH at 130M, the joint law fitted on 1-8B tokens predicting the runs and each horizon's optimal peak LR at 12-128B).", DefaultValueFactory = _ => 1, HelpName = "N" };
    private readonly Option<string> _laws = new("--laws") { Description = "Comma list of laws (default: all; protocol 3: optlaw,mpl-g1,tissue,convex; protocol 6: optlaw,tissue; protocol 4 takes joint alone, for the joint law's report).", HelpName = "LIST" };
    private readonly Option<string> _sizes = new("--sizes") { Description = "Model sizes to run (protocol 1; default 25,100,400).", DefaultValueFactory = _ => "25,100,400", HelpName = "LIST" };
    private readonly Option<string> _trainFraction = new("--train-fraction") { Description = "Protocol 3: the linear cooldown fraction trained on with the constant runs, or 'all' for each in turn and the average (default 0.2).", DefaultValueFactory = _ => "0.2", HelpName = "F" };
    private readonly Option<bool> _pooled = CliOptions.Flag("--pooled", "Protocol 3: fit one law across all base LRs (default: one per LR).");
    private readonly Option<bool> _sharedShape = CliOptions.Flag("--shared-shape", "Protocol 3, laws mpl and mpl-box: one drop shape (C, beta, gamma) across the base LRs, the rest per LR.");
    private readonly Option<bool> _ensemble = CliOptions.Flag("--ensemble", "Protocol 3: the declared ensemble of laws (optlaw, mpl-g1, tissue per LR; joint pooled with p fitted), ranked by the scale-free mean (\"ensemble\"), by Borda count (\"ensemble-borda\") and by the scale-free mean weighted by each member's held-out tail error on the training runs (\"ensemble-w\"), after its members; then each member anchored on the observed level where a run shares its LR's constant run (\"tissue-a\", ...) and their scale-free mean (\"ensemble-a\"); last \"ensemble-lr\": the LR axis from the pooled joint law, the schedule within an LR from the anchored per-LR members and the anchored joint law, half each.");
    private readonly Option<bool> _mplWideStarts = CliOptions.Flag("--mpl-wide-starts", "Protocol 3, per-LR MPL fits (mpl, mpl-box, mpl-pub): two more starts from the LR's constant run and the published shape, every start run to convergence.");
    private readonly Option<string> _fitOn = new("--fit-on") { Description = "Protocols 3 and 6: the curve the laws are fitted on, val (every 200 steps) or train (every 50); default val (protocol 6: both).", DefaultValueFactory = _ => "val", HelpName = "CURVE" };
    private readonly Option<bool> _noLrSizeScale = CliOptions.Flag("--no-lr-size-scale", "Protocol 4 with --laws joint: the joint law without gamma_eta, the LR's own size exponent (the law before it; by default the LR enters the saturation, cost and noise as eta z^gamma_eta, JointFitOptions.LrSizeScale).");
    private readonly Option<bool> _lrDataScale = CliOptions.Flag("--lr-data-scale", "Protocol 4 with --laws joint: also fit delta_eta, the LR's data scale (x = eta z^gamma_eta (D/1e10)^delta_eta; JointFitOptions.LrDataScale).");
    private readonly Option<string> _jointNoise = new("--joint-noise") { Description = "Protocols 3, 7 and 8: the joint law's noise term, free (twelve free lag weights, the default), spectrum (the MPL kernel in intrinsic time and in steps) or clock (the MPL's drop with its LR-dependent clock eta^-gamma S).", HelpName = "KIND" };
    private readonly Option<string> _jointNoisePower = new("--joint-noise-power") { Description = "Protocols 3, 7 and 8 (and 10, and 2 and 4 with --laws joint, 'fit' only): the joint law's noise level as a power p of the LR (the free-weight noise relaxes eta^p), one p in (0, 2] 'auto' for the grid 0.5, 0.75, 1 chosen by the training objective, 'fit' for p fitted in [0.2, 1.5] with the law's nonlinear parameters, 'peak' (protocols 7 and 8) for the power across peak LRs fitted apart from the power 1 inside a run, where two or more peaks show a decay (docs/VALIDATION.md \"Protocol 7: the noise's power across peak LRs\"), or 'peak-fit' (protocols 7 and 8) for both powers fitted there, p inside a run and p + q across peaks (\"Protocols 7 and 8: both noise powers fitted where identified\"), or 'peak-fit-clock' (protocols 7 and 8) for 'peak-fit' with the intrinsic-time lags on the effective step's clock (\"Protocols 7 and 8: the noise's clock in the effective step where both powers are fitted\"), or 'peak-fit-lagprior' (protocols 7 and 8) for 'peak-fit' with the noise lags' shares held at a prior fitted on protocol 17's runs (\"Protocols 7 and 8: a prior on the noise lag spectrum from outside protocol 8's set\"); default: the joint law's own, 'peak-fit-lagprior' where two or more peaks show a decay and p = 1 elsewhere (\"The joint law's lag prior as the default\"); '1' gives p = 1 with free lag weights, the law before.", HelpName = "P" };
    private readonly Option<string> _jointBatchScale = new("--joint-batch-scale") { Description = "Protocols 4 (with --laws joint) and 22: the joint law's LR batch scale b_eta (x = eta z^gamma_eta (B/1e6)^-b_eta; JointFitOptions.LrBatchScale, LrBatchExponent): fit (the default: fitted where runs of one N and D differ in batch, else 0), off (0, the law before) or a number in [-5, 5] (held wherever an LR mechanism is fitted; docs/VALIDATION.md \"A batch scale in the joint law's LR units\").", HelpName = "fit|off|VALUE" };
    private readonly Option<bool> _jointLagPriorCurvesOnly = CliOptions.Flag("--joint-lag-prior-curves-only", "Protocols 4 (with --laws joint) and 20: the joint law's noise-lag prior only where runs have curves; on tables of final losses the twelve lag weights stay free (JointFitOptions.NoiseLagPriorNeedsCurves; docs/VALIDATION.md \"Protocol 4: why the lag prior moved the joint law's optimum\"; an option, off).");
    private readonly Option<bool> _jointLasting = CliOptions.Flag("--joint-lasting", "Protocols 3, 4 (with --laws joint), 7 and 8: also fit the joint law's lasting part of the loss set by the peak LR, G g(max eta), g(x) = x/(1 + kappa x), G of free sign (JointFitOptions.LastingLr).");
    private readonly Option<bool> _jointLastingOwnScale = CliOptions.Flag("--joint-lasting-own-scale", "With --joint-lasting: the lasting term's own curvature kappa_l in g(x) = x/(1 + kappa_l x), fitted (kappa_l >= 0.1 / the largest LR in the data) instead of the saturation's kappa (JointFitOptions.LastingOwnScale).");
    private readonly Option<bool> _jointEdge = CliOptions.Flag("--joint-edge", "Protocols 3, 4 (with --laws joint), 7 and 8: also fit the joint law's stability-edge cost H phi(peak / eta_edge), phi(r) = r^k/(1 + r^k), the edge placed on the training runs' divergence labels with the divergence prior's exponents and slope, 0 <= H <= the diverged runs' plateau height (JointFitOptions.StabilityEdge).");
    private readonly Option<bool> _jointEdgePlateau = CliOptions.Flag("--joint-edge-plateau", "With --joint-edge: the edge cost's height H fixed at the diverged runs' plateau height instead of fitted (the term is then P(diverge) times the plateau's excess loss).");
    private readonly Option<bool> _noPlanRidge = CliOptions.Flag("--no-plan-ridge", "Protocol 6: the plans' held-out checks without the flat-ridge stop (PlanOptions.HeldOutRidgeTolerance = 0, the held-out check before stop 16; the planner's default stops at the declared 0.01: docs/VALIDATION.md \"Plan cold path\").");
    private readonly Option<string> _planInterval = new("--plan-interval") { Description = "Protocol 6: the plans' conformal interval rule, symmetric (the planner's default before the cross-step rule), finite-sample (PlanOptions.FiniteSampleIntervals: two exact tails with 19 or more residuals, the exact symmetric quantile with 9-18, a normal-theory bound with fewer; docs/VALIDATION.md \"The planner's interval with few residuals\") centred (PlanOptions.CentredIntervals: symmetric finite-sample about the corrected prediction when the horizon correction applies, finite-sample otherwise; docs/VALIDATION.md \"Intervals: the tails chosen by the centre\") cross-step (the planner's default, PlanOptions.CrossStepIntervals: residuals corrected by the other horizon steps' bias; docs/VALIDATION.md \"Intervals: residuals corrected across horizon steps\") pseudo-step (PlanOptions.PseudoStepIntervals: cross-step with a pseudo horizon step from the runs cut to 1 / R where the runs have one step; docs/VALIDATION.md \"Intervals: a pseudo horizon step when the runs have one\") or cross-step-shape (PlanOptions.ShapeIntervals: cross-step with the width growing with the plan's schedule-shape distance from the runs; docs/VALIDATION.md \"Intervals widened by the schedule-shape distance\").", HelpName = "RULE" };
    private readonly Option<string> _planRunsPeak = new("--plan-runs-peak") { Description = "Protocol 6: on or off, the runs' own final losses at two or more peaks of the plan's schedule shape overrule a law's peak optimum they contradict (PlanOptions.PeakFromRunsEvidence; docs/VALIDATION.md \"The runs decide the peak of their own shape\"); best: on, and where they do not decide, their best peak as measured is taken where the law's loss there is within 0.1% of its optimum's (PlanOptions.PeakFromRunsBest; \"The peak where neither the law nor the runs decide alone\"); default: the planner's. Which loss of a run is compared: --plan-runs-loss.", HelpName = "on|off|best" };
    private readonly Option<string> _planRunsLoss = new("--plan-runs-loss") { Description = "Protocol 6: the loss of each run that the runs' peak evidence compares: final, its final evaluation (history.final-val) where every run of the group has one (PlanOptions.PeakFromFinalEvaluation; docs/VALIDATION.md \"The runs' peak evidence from a run's final evaluation\"); last, its last logged loss; default: the planner's. Combines with any --plan-runs-peak.", HelpName = "final|last" };
    private readonly Option<string> _planAnchor = new("--plan-anchor") { Description = "Protocol 6: on (PlanOptions.AnchoredLoss: each plan prints the loss anchored on a run of its shape, the run's observed loss x the law's ratio of the target to it; docs/VALIDATION.md \"Protocol 6: the plan's loss anchored on a run of its shape\") or off (the law's loss with the horizon-bias correction); pairs: on, its interval from every horizon pair of the runs (PlanOptions.AnchoredIntervalPairs, the planner's default; docs/VALIDATION.md \"Protocol 6: the anchored interval from every horizon pair\"); nearest: on, its interval from the residuals one horizon step back (the rule before); across: on, and where no run of the plan's shape is within x2 of its peak, anchored across peak LR (PlanOptions.AnchorAcrossLr LrLaw, the planner's default, so on, pairs and nearest anchor across peak LR too); cross-lr: the declared cross-LR variant, every anchor across peak LR (runs within x2 of the plan's peak excluded; docs/VALIDATION.md \"Protocol 6: the plan's loss anchored across peak LR\"); default: the planner's.", HelpName = "on|off|pairs|nearest|across|cross-lr" };
    private readonly Option<string> _identification = new("--identification") { Description = "Protocols 14 and later (the cross-data protocols): when a decay term is held at its prior (docs/VALIDATION.md): 14c (only when no fitted point follows an LR decrement), 14d (also when the decrement does not reach half the peak LR), evidence (the default, protocol 14e/15e: a decay seen only in part is fitted freely and held at the prior only when that free fit is non-physical) or free (never: every term fitted freely).", HelpName = "RULE" };
    private readonly Option<bool> _rank = CliOptions.Flag("--rank", "Protocol 17 only: protocol 17r, ranking candidate schedules: the runs of one set and horizon seen up to 0.25, 0.5, 0.75 of their steps, ordered by protocol 3's ensemble members and its ensembles, ensemble-w included, and by the members anchored on each candidate's own prefix and their ensemble-a, and ensemble-lr (the LR axis from the pooled joint law; docs/VALIDATION.md \"Protocol 17r\").");
    private readonly Option<bool> _lrHoldout = CliOptions.Flag("--lr-holdout", "Protocol 3 (protocol 3h) and protocol 17 with --rank (17h): ensemble-lr fitted without the runs of one peak LR, each LR in turn, ranking that LR's candidates with the others' (the case of rank's candidates at a peak without runs), scored on the pairs with a candidate at the held-out LR against the pooled joint law alone and single laws fitted across the remaining LRs; and rankfix's member drop with and without on the full fit (docs/VALIDATION.md \"Protocols 3h and 17h\").");
    private readonly Option<bool> _crossSize = CliOptions.Flag("--cross-size", "Protocol 17 only: protocol 17c, protocol 2's cross-size question on the lr-scheduling SlimPajama runs (each law fitted on 33M-152M with the size exponent fitted, predicting 209M and 360M; docs/VALIDATION.md \"Protocol 17c\").");
    private readonly Option<string> _optimizer = new("--optimizer") { Description = "Protocols 23 and 24 only: the one optimizer to run (as the tables' captions name it, any case: muon, lion, nadamw, ...; default: every optimizer in the folder).", HelpName = "NAME" };
    private readonly Option<string> _divergenceLabel = new("--divergence-label") { Description = "Protocol 23 only: which runs of a cell are diverged and not fitted: 2x (protocol 20's, a loss above 2x the cell's best; the default) or gap (also every run from the lowest LR above the best's whose loss is above 1.44x the best; docs/VALIDATION.md \"Protocol 23b\").", HelpName = "2x|gap" };
    private readonly Option<string> _axis = new("--axis") { Description = "Protocol 17 with --cross-size: what the laws' steps count, steps (optimizer steps, the default, as declared) tokens (each run's steps stretched by its tokens per step over the smallest of the protocol's runs, a whole number; docs/VALIDATION.md \"Protocol 17c on tokens\"), or critical-batch (stretched by the critical-batch equivalence (1 + B_noise/B_r)/(1 + B_noise/B), B_noise from protocol 5; \"Protocol 17c with steps counted by the critical batch\").", HelpName = "AXIS" };
    private readonly Option<string> _sizeExponent = new("--size-exponent") { Description = "Protocol 2: the offset's size exponent beta in (0, 2] taken from another source (protocol 22: only 'pooled=DIR', beta pooled over Marin's runs and protocol 17c's); the variants become 'power' and 'shared' with that beta for the schedule laws and protocol 2's headline (size terms + n_M) and the size terms without n_M for the joint law (docs/VALIDATION.md \"Protocol 2 with beta = 0.203\"); or 'pooled=DIR': beta fitted jointly on protocol 2's training sizes and protocol 17c's, DIR the folder benchmarks/foreign-runs-lrsched/fetch.sh makes (\"Protocol 2 with a size exponent pooled over sources\").", HelpName = "BETA" };
    private readonly Option<string> _stallHold = CliOptions.StallHold("Protocols 14 and later");
    private readonly Option<bool> _noStallCheck = CliOptions.Flag("--no-stall-check", "Protocols 14 and later (the cross-data protocols): each law's own prediction even when its fitted half has stopped improving (the stall check's hold of the recent level is the default; docs/VALIDATION.md \"Curves that stop improving\").");
    private readonly Option<bool> _json = CliOptions.Json();
    private readonly Option<bool> _quiet = CliOptions.Quiet();
    private readonly IntervalOptions _intervals = IntervalOptions.Create();

    public ValidateCommand()
    {
        // Checked once at parse time, whatever the protocol: an unknown curve is refused even where it would not be read.
        Known(_fitOn, v => Curve(v) is not null, v => $"--fit-on: unknown curve '{v}' (val or train).");
        Known(_jointNoise, v => JointNoiseOf(v) is not null, v => $"--joint-noise: unknown noise term '{v}' (free, spectrum or clock).");
        Known(_planInterval, v => PlanIntervalOf(v) is not null, v => $"--plan-interval: unknown rule '{v}' (symmetric, finite-sample, centred, cross-step, pseudo-step or cross-step-shape).");
        Known(_planAnchor, v => v.Trim().ToLowerInvariant() is "on" or "off" or "pairs" or "nearest" or "across" or "cross-lr", v => $"--plan-anchor: unknown value '{v}' (on, off, pairs, nearest, across or cross-lr).");
        Known(_planRunsPeak, v => v.Trim().ToLowerInvariant() is "on" or "off" or "best", v => $"--plan-runs-peak: unknown value '{v}' (on, off or best; the loss compared is --plan-runs-loss final|last).");
        Known(_planRunsLoss, v => v.Trim().ToLowerInvariant() is "final" or "last", v => $"--plan-runs-loss: unknown value '{v}' (final or last).");
        Known(_identification, v => IdentificationOf(v) is not null, v => $"--identification: unknown rule '{v}' (14c, 14d, evidence or free).");
        Known(_divergenceLabel, v => DivergenceLabelNames.Of(v) is not null, v => $"--divergence-label: unknown label '{v}' (2x or gap).");
        Known(_axis, v => AxisOf(v) is not null, v => $"--axis: unknown axis '{v}' (steps, tokens or critical-batch).");
        Known(_sizeExponent, v => SizeExponentOf(v) is not null || PooledSizeDataOf(v) is not null, v => $"--size-exponent: '{v}' is not a size exponent in (0, 2] or 'pooled=DIR'.");
        Known(_jointBatchScale, v => BatchScaleOf(v) is not null, v => $"--joint-batch-scale: '{v}' is not fit, off or a number in [-5, 5].");
        Known(_jointNoisePower, v => IsFit(v) || IsPeak(v) || IsPeakFit(v) || NoisePowersOf(v) is not null, v => $"--joint-noise-power: '{v}' is not a power in (0, 2], 'auto', 'fit', 'peak', 'peak-fit', 'peak-fit-clock' or 'peak-fit-lagprior'.");
    }

    /// <summary>A parse-time check of <paramref name="option"/>'s value: <paramref name="error"/> of the echoed value unless <paramref name="known"/>.</summary>
    private static void Known(Option<string> option, Func<string, bool> known, Func<string, string> error) =>
        option.Validators.Add(result =>
        {
            if (result.Tokens.Count > 0 && !known(result.Tokens[0].Value))
                result.AddError(error(ErrorText.Echo(result.Tokens[0].Value)));
        });

    public override string Name => "validate";

    public override string Description => "Run a validation protocol on public training runs and print the scoreboard next to the published numbers.";

    protected override IEnumerable<Option> Options =>
    [
        _data, _protocol, _laws, _sizes, _trainFraction, _pooled, _sharedShape, _mplWideStarts, _ensemble, _fitOn, _noLrSizeScale, _lrDataScale, _jointBatchScale, _jointNoise, _jointNoisePower, _jointLagPriorCurvesOnly, _jointLasting, _jointLastingOwnScale, _jointEdge, _jointEdgePlateau, _planInterval, _noPlanRidge, _planAnchor, _planRunsPeak, _planRunsLoss, _identification, _crossSize, _rank, _lrHoldout, _noStallCheck, _stallHold, _json, _quiet,
        _axis, _sizeExponent, _optimizer, _divergenceLabel,
        _intervals.Intervals, _intervals.Replicates, _intervals.Scheme, _intervals.Seed, _intervals.Level,
    ];

    protected override IEnumerable<Action<System.CommandLine.Parsing.CommandResult>> Validators => [_intervals.NeedsIntervals];

    public override ValidateSettings Bind(ParseResult parse)
    {
        var r = parse;
        var lawNames = LawRuns.ParseLaws(r.GetValue(_laws));
        double? trainFraction = TrainFraction(r.GetValue(_trainFraction)!); // checked whatever the protocol, never ignored
        int protocol = r.GetValue(_protocol);
        var o = _intervals;
        var intervals = new IntervalSettings(
            r.GetValue(o.Intervals), r.GetValue(o.Replicates), r.GetValue(o.Scheme), r.GetValue(o.Seed), r.GetValue(o.Level),
            [.. new Option[] { o.Replicates, o.Scheme, o.Seed }.Where(x => r.GetResult(x) is { Implicit: false }).Select(x => x.Name)]);
        var jointNoise = r.GetValue(_jointNoise) is { } noise ? JointNoiseOf(noise) : null;
        if (jointNoise is not null && protocol is not (3 or 7 or 8))
            throw new UserInputException($"--joint-noise applies to protocols 3, 7 and 8 only (got --protocol {protocol}).");
        bool fitPower = r.GetValue(_jointNoisePower) is { } fitText && IsFit(fitText);
        bool peakPower = r.GetValue(_jointNoisePower) is { } peakText && (IsPeak(peakText) || IsPeakFit(peakText));
        bool peakFit = r.GetValue(_jointNoisePower) is { } peakFitText && IsPeakFit(peakFitText);
        bool peakFitClock = r.GetValue(_jointNoisePower) is { } clockText && IsPeakFitClock(clockText);
        bool peakFitLagPrior = r.GetValue(_jointNoisePower) is { } priorText && IsPeakFitLagPrior(priorText);
        string peakName = peakFitLagPrior ? "peak-fit-lagprior" : peakFitClock ? "peak-fit-clock" : peakFit ? "peak-fit" : "peak";
        var noisePowers = r.GetValue(_jointNoisePower) is { } power && !fitPower && !peakPower ? NoisePowersOf(power) : null;
        if (peakPower && protocol is not (7 or 8))
            throw new UserInputException($"--joint-noise-power {peakName} applies to protocols 7 and 8 only (got --protocol {protocol}).");
        if (peakPower && jointNoise is { } pn && pn != HyperLaws.Laws.Joint.JointNoise.Free)
            throw new UserInputException($"--joint-noise-power {peakName}: the power across peaks needs the free noise weights (--joint-noise free).");
        if (fitPower && protocol is not (3 or 7 or 8 or 10) && !(protocol is 2 or 4 && lawNames.Contains("joint")))
            throw new UserInputException($"--joint-noise-power fit applies to protocols 3, 7, 8 and 10, and 2 and 4 with --laws joint, only (got --protocol {protocol}).");
        if (fitPower && jointNoise is { } fn && fn != HyperLaws.Laws.Joint.JointNoise.Free)
            throw new UserInputException("--joint-noise-power fit: a fitted power needs the free noise weights (--joint-noise free).");
        if (noisePowers is not null && protocol is not (3 or 7 or 8))
            throw new UserInputException($"--joint-noise-power applies to protocols 3, 7 and 8 only (got --protocol {protocol}).");
        if (noisePowers is not null && jointNoise is { } n && !HyperLaws.Laws.Joint.JointFitOptions.PowersAllowed(n, noisePowers))
            throw new UserInputException("--joint-noise-power: a power other than 1 needs the free noise weights (--joint-noise free).");
        bool lasting = r.GetValue(_jointLasting);
        if (lasting && protocol is not (3 or 4 or 7 or 8))
            throw new UserInputException($"--joint-lasting applies to protocols 3, 4, 7 and 8 only (got --protocol {protocol}).");
        bool lastingOwn = r.GetValue(_jointLastingOwnScale);
        if (lastingOwn && !lasting)
            throw new UserInputException("--joint-lasting-own-scale needs --joint-lasting (it sets the lasting term's scale).");
        string? optimizer = r.GetValue(_optimizer);
        if (optimizer is not null && protocol is not (23 or 24))
            throw new UserInputException($"--optimizer applies to protocols 23 and 24 only (got --protocol {protocol}).");
        if (optimizer is not null && string.IsNullOrWhiteSpace(optimizer))
            throw new UserInputException("--optimizer: the optimizer's name is empty.");
        var divergenceLabel = r.GetValue(_divergenceLabel) is { } labelText ? DivergenceLabelNames.Of(labelText) : null;
        if (divergenceLabel is not null && protocol != 23)
            throw new UserInputException($"--divergence-label applies to protocol 23 only (got --protocol {protocol}).");
        bool edge = r.GetValue(_jointEdge);
        if (edge && protocol is not (3 or 4 or 7 or 8))
            throw new UserInputException($"--joint-edge applies to protocols 3, 4, 7 and 8 only (got --protocol {protocol}).");
        string? planInterval = r.GetValue(_planInterval) is { } rule ? PlanIntervalOf(rule) : null;
        if (planInterval is not null && protocol != 6)
            throw new UserInputException($"--plan-interval applies to protocol 6 only (got --protocol {protocol}).");
        if (planInterval is not null && intervals.Requested)
            throw new UserInputException("--plan-interval applies to the plan backtest (protocol 6 without --intervals); the --intervals rows report every rule.");
        bool noPlanRidge = r.GetValue(_noPlanRidge);
        string planAnchorValue = r.GetValue(_planAnchor)?.Trim().ToLowerInvariant() ?? "";
        bool? planAnchor = planAnchorValue.Length > 0 ? planAnchorValue != "off" : null;
        bool? planAnchorPairs = planAnchorValue switch { "pairs" => true, "nearest" => false, _ => null };
        if (planAnchor is not null && (protocol != 6 || intervals.Requested))
            throw new UserInputException($"--plan-anchor applies to the plan backtest only (protocol 6 without --intervals; got --protocol {protocol}).");
        string? planRunsPeakValue = r.GetValue(_planRunsPeak)?.Trim().ToLowerInvariant();
        bool? planRunsPeak = planRunsPeakValue is null ? null : planRunsPeakValue != "off";
        bool? planRunsBest = planRunsPeakValue is null ? null : planRunsPeakValue == "best";
        bool? planRunsFinal = r.GetValue(_planRunsLoss)?.Trim().ToLowerInvariant() switch { "final" => true, "last" => false, _ => null };
        if (planRunsPeak is not null && (protocol != 6 || intervals.Requested))
            throw new UserInputException($"--plan-runs-peak applies to the plan backtest only (protocol 6 without --intervals; got --protocol {protocol}).");
        if (planRunsFinal is not null && (protocol != 6 || intervals.Requested))
            throw new UserInputException($"--plan-runs-loss applies to the plan backtest only (protocol 6 without --intervals; got --protocol {protocol}).");
        if (noPlanRidge && (protocol != 6 || intervals.Requested))
            throw new UserInputException($"--no-plan-ridge applies to the plan backtest only (protocol 6 without --intervals; got --protocol {protocol}).");
        bool sharedShape = r.GetValue(_sharedShape);
        if (sharedShape && protocol != 3)
            throw new UserInputException($"--shared-shape applies to protocol 3 only (got --protocol {protocol}).");
        if (sharedShape && r.GetValue(_pooled))
            throw new UserInputException("--shared-shape and --pooled exclude each other (--pooled fits one law across all LRs).");
        var identification = r.GetValue(_identification) is { } how ? IdentificationOf(how) : null;
        if (identification is not null && protocol < CrossDataProtocols)
            throw new UserInputException($"--identification applies to the cross-data protocols ({CrossDataProtocols} and later) only (got --protocol {protocol}).");
        bool noStall = r.GetValue(_noStallCheck);
        if (noStall && protocol < CrossDataProtocols)
            throw new UserInputException($"--no-stall-check applies to the cross-data protocols ({CrossDataProtocols} and later) only (got --protocol {protocol}).");
        bool holdGiven = r.GetResult(_stallHold) is { Implicit: false };
        if (holdGiven && protocol < CrossDataProtocols)
            throw new UserInputException($"--stall-hold applies to the cross-data protocols ({CrossDataProtocols} and later) only (got --protocol {protocol}).");
        if (holdGiven && noStall)
            throw new UserInputException("--stall-hold and --no-stall-check exclude each other (without the check nothing is held).");
        bool crossSize = r.GetValue(_crossSize);
        if (crossSize && protocol != 17)
            throw new UserInputException($"--cross-size applies to protocol 17 only (got --protocol {protocol}).");
        if (crossSize && (identification is not null || noStall || holdGiven))
            throw new UserInputException("--cross-size fits whole curves across sizes (protocol 2's fits): --identification, --no-stall-check and --stall-hold do not apply.");
        var axis = r.GetValue(_axis) is { } axisText ? AxisOf(axisText) : null;
        if (axis is not null && !crossSize)
            throw new UserInputException($"--axis applies to protocol 17 with --cross-size only (got --protocol {protocol}{(protocol == 17 ? " without --cross-size" : "")}).");
        double? sizeExponent = r.GetValue(_sizeExponent) is { } betaText ? SizeExponentOf(betaText) : null;
        string? pooledSizeData = r.GetValue(_sizeExponent) is { } pooledText ? PooledSizeDataOf(pooledText) : null;
        if ((sizeExponent is not null || pooledSizeData is not null) && protocol != 2 && !(protocol == 22 && pooledSizeData is not null))
            throw new UserInputException($"--size-exponent applies to protocol 2 only (got --protocol {protocol}); pooled=DIR also to protocol 22.");
        if ((sizeExponent is not null || pooledSizeData is not null) && intervals.Requested)
            throw new UserInputException("--size-exponent applies to protocol 2's scoreboard, not to --intervals.");
        // The pooled fit (PooledSizeExponent.Sources) fits the joint law with the default noise power: refused rather than mismatched.
        if (pooledSizeData is not null && r.GetValue(_jointNoisePower) is not null)
            throw new UserInputException("--size-exponent pooled=DIR fits beta with the joint law's default noise power: --joint-noise-power does not apply.");
        bool rank = r.GetValue(_rank);
        if (rank && protocol != 17)
            throw new UserInputException($"--rank applies to protocol 17 only (got --protocol {protocol}).");
        if (rank && (crossSize || r.GetValue(_laws) is not null || identification is not null || noStall || holdGiven))
            throw new UserInputException("--rank fits protocol 3's ensemble members as declared: --cross-size, --laws, --identification, --no-stall-check and --stall-hold do not apply.");
        bool lrHoldout = r.GetValue(_lrHoldout);
        if (lrHoldout && !(protocol == 3 || (protocol == 17 && rank)))
            throw new UserInputException($"--lr-holdout applies to protocol 3 and to protocol 17 with --rank only (got --protocol {protocol}{(protocol == 17 ? " without --rank" : "")}).");
        if (lrHoldout && protocol == 3 && (r.GetValue(_laws) is not null || r.GetValue(_pooled) || sharedShape || intervals.Requested || r.GetValue(_ensemble)
                                           || jointNoise is not null || noisePowers is not null || fitPower || peakPower || lasting || edge || r.GetResult(_fitOn) is { Implicit: false }))
            throw new UserInputException("--lr-holdout fits ensemble-lr's declared members as rank does: --laws, --pooled, --shared-shape, --ensemble, --fit-on, --joint-noise, --joint-noise-power, --joint-lasting, --joint-edge and --intervals do not apply.");
        bool wideStarts = r.GetValue(_mplWideStarts);
        if (wideStarts && protocol != 3)
            throw new UserInputException($"--mpl-wide-starts applies to protocol 3 only (got --protocol {protocol}).");
        if (wideStarts && (r.GetValue(_pooled) || sharedShape))
            throw new UserInputException("--mpl-wide-starts applies to the per-LR fits only (not with --pooled or --shared-shape).");
        bool ensemble = r.GetValue(_ensemble);
        if (ensemble && protocol != 3)
            throw new UserInputException($"--ensemble applies to protocol 3 only (got --protocol {protocol}).");
        if (ensemble && (r.GetValue(_laws) is not null || r.GetValue(_pooled) || sharedShape || wideStarts || intervals.Requested
                         || jointNoise is not null || noisePowers is not null || fitPower || peakPower || lasting || edge))
            throw new UserInputException("--ensemble fits its declared members as declared: --laws, --pooled, --shared-shape, --mpl-wide-starts, --joint-noise, --joint-noise-power, --joint-lasting, --joint-edge and --intervals do not apply.");
        bool plateau = r.GetValue(_jointEdgePlateau);
        if (plateau && !edge)
            throw new UserInputException("--joint-edge-plateau needs --joint-edge (it sets the edge cost's height).");
        // The options only some protocols read (ValidateHandler.Run), refused where they would be ignored (was: exit 0, the option silently unused).
        bool scoreboard = !intervals.Requested;
        bool jointReport = protocol == 4 && lawNames.Contains("joint") && r.GetValue(_laws) is not null;
        Applies(r.GetValue(_laws) is not null, intervals.Requested || protocol is not (4 or 5 or 10) || jointReport,
            "--laws", "protocols 1, 2, 3, 6, 7, 8 and 14-17 (4 only as --laws joint)", protocol);
        // Protocol 4 runs the joint law's report or the StepLaw grid, no other law (was: --laws joint,mpl ran the joint report, mpl silently dropped).
        if (jointReport && scoreboard && lawNames.Count > 1)
            throw new UserInputException($"--laws: protocol 4 reads joint alone (the joint law's report; no other law has a protocol 4 score), got {string.Join(',', lawNames)}.");
        Applies(r.GetResult(_sizes) is { Implicit: false }, protocol == 1, "--sizes", "protocol 1", protocol);
        Applies(r.GetResult(_trainFraction) is { Implicit: false }, protocol == 3 && scoreboard, "--train-fraction", "protocol 3 (without --intervals)", protocol);
        Applies(r.GetValue(_pooled), protocol == 3 && scoreboard, "--pooled", "protocol 3 (without --intervals)", protocol);
        Applies(r.GetResult(_fitOn) is { Implicit: false }, protocol is 3 or 6 or 7 or 8 or 10 && scoreboard, "--fit-on", "protocols 3, 6, 7, 8 and 10 (without --intervals)", protocol);
        // Protocol 4 with --laws joint and --intervals is the interval report, not the joint report: the refusal names --intervals.
        string jointGot = jointReport && !scoreboard ? "--intervals" : $"--protocol {protocol}";
        Applies(r.GetValue(_lrDataScale), jointReport && scoreboard, "--lr-data-scale", "protocol 4 with --laws joint", jointGot);
        Applies(r.GetValue(_noLrSizeScale), jointReport && scoreboard, "--no-lr-size-scale", "protocol 4 with --laws joint", jointGot);
        var batchScale = r.GetValue(_jointBatchScale) is { } batchText ? BatchScaleOf(batchText) : null;
        Applies(batchScale is not null, (jointReport && scoreboard) || protocol == 22, "--joint-batch-scale", "protocol 4 with --laws joint and protocol 22", jointGot);
        if (r.GetValue(_jointLagPriorCurvesOnly) && protocol == 4 && scoreboard && !jointReport)
            throw new UserInputException("--joint-lag-prior-curves-only applies to protocol 4 with --laws joint only (got --protocol 4 without --laws joint).");
        Applies(r.GetValue(_jointLagPriorCurvesOnly), (jointReport && scoreboard) || protocol == 20, "--joint-lag-prior-curves-only", "protocol 4 with --laws joint and protocol 20", protocol);
        return new ValidateSettings(
            ShippedData.DataOption(r.GetValue(_data)!), protocol, lawNames, r.GetValue(_laws) is not null,
            protocol == 1 ? Sizes(r.GetValue(_sizes)!) : [], r.GetResult(_sizes) is { Implicit: false }, trainFraction, r.GetValue(_pooled),
            Curve(r.GetValue(_fitOn)!) ?? LossSplit.Validation, r.GetResult(_fitOn) is { Implicit: false }, r.GetValue(_json), r.GetValue(_quiet), intervals,
            !r.GetValue(_noLrSizeScale), r.GetValue(_lrDataScale), jointNoise, noisePowers, lasting, lastingOwn, edge ? plateau ? HyperLaws.Laws.Joint.JointEdgeHeight.Plateau : HyperLaws.Laws.Joint.JointEdgeHeight.Fitted : null,
            planInterval == "finite-sample", sharedShape, planInterval is null ? null : planInterval == "centred", planInterval is null ? null : planInterval is "cross-step" or "pseudo-step" or "cross-step-shape", identification, wideStarts, noPlanRidge, fitPower,
            planInterval is null ? null : planInterval == "pseudo-step") { ShapeIntervals = planInterval is null ? null : planInterval == "cross-step-shape", StallCheck = !noStall, StallHold = CliOptions.StallHoldOf(r.GetValue(_stallHold)!), CrossSize = crossSize, Ensemble = ensemble, Axis = axis ?? TimeAxis.Steps, Optimizer = optimizer, DivergenceLabel = divergenceLabel ?? LrSweepOptimizers.DefaultLabel, JointLagPriorNeedsCurves = r.GetValue(_jointLagPriorCurvesOnly), JointBatchScaleFit = batchScale?.Fit ?? true, JointBatchExponent = batchScale?.Held ?? 0, SizeExponent = sizeExponent, PooledSizeData = pooledSizeData, PlanAnchor = planAnchor, PlanAnchorPairs = planAnchorPairs, PlanAnchorAcrossLr = planAnchorValue is "across" or "cross-lr" ? planAnchorValue : "", PlanRunsPeak = planRunsPeak, PlanRunsBest = planRunsBest, PlanRunsFinal = planRunsFinal, Rank = rank, LrHoldout = lrHoldout, JointPeakNoisePower = peakPower, JointPeakFitNoisePower = peakFit, JointEffectiveStepClock = peakFitClock, JointNoiseLagPrior = peakFitLagPrior };
    }

    /// <summary>Refuses <paramref name="option"/>, <paramref name="given"/> where the protocol does not read it (<paramref name="applies"/> false).</summary>
    private static void Applies(bool given, bool applies, string option, string where, int protocol) =>
        Applies(given, applies, option, where, $"--protocol {protocol}");

    /// <summary>Refuses <paramref name="option"/> outside <paramref name="where"/>, naming what was given instead (<paramref name="got"/>).</summary>
    private static void Applies(bool given, bool applies, string option, string where, string got)
    {
        if (given && !applies)
            throw new UserInputException($"{option} applies to {where} only (got {got}).");
    }

    /// <summary>The first of the cross-data protocols (14: modded-nanogpt, 15: AlgoPerf, and later ones), which take --identification.</summary>
    private const int CrossDataProtocols = 14;

    /// <summary>--identification's rule: 14c, 14d, evidence or free (case and spaces ignored); null for anything else (refused at parse time).</summary>
    private static HyperLaws.Fitting.IdentificationRule? IdentificationOf(string rule) => rule.Trim().ToLowerInvariant() switch
    {
        "14c" => HyperLaws.Fitting.IdentificationRule.NoDecrement,
        "14d" => HyperLaws.Fitting.IdentificationRule.Shape,
        "evidence" or "14e" => HyperLaws.Fitting.IdentificationRule.Evidence,
        "free" => HyperLaws.Fitting.IdentificationRule.Free,
        _ => null,
    };

    /// <summary>--fit-on's curve: val (or validation) or train, case and spaces ignored; null for anything else (refused at parse time).</summary>
    private static LossSplit? Curve(string fitOn) => fitOn.Trim().ToLowerInvariant() switch
    {
        "val" or "validation" => LossSplit.Validation,
        "train" => LossSplit.Train,
        _ => null,
    };

    /// <summary>--train-fraction: a cooldown fraction in (0, 1), or null for 'all'.</summary>
    private static double? TrainFraction(string trainFraction)
    {
        string f = trainFraction.Trim();
        if (string.Equals(f, "all", StringComparison.OrdinalIgnoreCase)) return null;
        if (!double.TryParse(f, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) || !(v > 0 && v < 1))
            throw new UserInputException($"--train-fraction: '{ErrorText.Echo(trainFraction)}' is not a cooldown fraction between 0 and 1 (or 'all').");
        return v;
    }

    /// <summary>--plan-interval: "symmetric", "finite-sample", "centred" (any case, "centered" too), "cross-step", "pseudo-step" or "cross-step-shape"; null when unknown (refused at parse time).</summary>
    private static string? PlanIntervalOf(string text) => text.Trim().ToLowerInvariant() switch
    {
        "symmetric" => "symmetric",
        "finite-sample" => "finite-sample",
        "centred" or "centered" => "centred",
        "cross-step" => "cross-step",
        "pseudo-step" => "pseudo-step",
        "cross-step-shape" => "cross-step-shape",
        _ => null,
    };

    /// <summary>--joint-batch-scale: fit (b_eta fitted where identified), off (0) or a finite number in [-5, 5] (held); null when unknown.</summary>
    private static (bool Fit, double Held)? BatchScaleOf(string text)
    {
        string t = text.Trim().ToLowerInvariant();
        if (t == "fit") return (true, 0);
        if (t == "off") return (false, 0);
        return double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && double.IsFinite(v) && Math.Abs(v) <= 5 ? (false, v) : null;
    }

    /// <summary>--joint-noise: free, spectrum or clock (any case); null when unknown.</summary>
    private static HyperLaws.Laws.Joint.JointNoise? JointNoiseOf(string text) => text.Trim().ToLowerInvariant() switch
    {
        "free" => HyperLaws.Laws.Joint.JointNoise.Free,
        "spectrum" => HyperLaws.Laws.Joint.JointNoise.Spectrum,
        "clock" => HyperLaws.Laws.Joint.JointNoise.Clock,
        _ => null,
    };

    /// <summary>--axis: steps, tokens or critical-batch (any case); null when unknown (refused at parse time).</summary>
    internal static TimeAxis? AxisOf(string text) => text.Trim().ToLowerInvariant() switch
    {
        "steps" => TimeAxis.Steps,
        "tokens" => TimeAxis.Tokens,
        "critical-batch" => TimeAxis.CriticalBatch,
        _ => null,
    };

    /// <summary>--size-exponent: a number in (0, 2] (<see cref="CrossSize.IsSizeExponent"/>); null when not (refused at parse time).</summary>
    internal static double? SizeExponentOf(string text) =>
        double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && CrossSize.IsSizeExponent(v) ? v : null;

    /// <summary>--size-exponent pooled=DIR: DIR (protocol 17's folder, <see cref="HyperLaws.Validation.PooledSizeExponent"/>); null when the text is not of that form.</summary>
    internal static string? PooledSizeDataOf(string text) =>
        text.Trim() is var t && t.StartsWith("pooled=", StringComparison.OrdinalIgnoreCase) && t["pooled=".Length..].Trim() is { Length: > 0 } dir ? dir : null;

    /// <summary>Whether --joint-noise-power asks for the power fitted ('fit', any case).</summary>
    private static bool IsFit(string text) => string.Equals(text.Trim(), "fit", StringComparison.OrdinalIgnoreCase);

    /// <summary>Whether --joint-noise-power asks for the power across peak LRs fitted ('peak', any case; <see cref="HyperLaws.Laws.Joint.JointFitOptions.PeakNoisePower"/>).</summary>
    private static bool IsPeak(string text) => string.Equals(text.Trim(), "peak", StringComparison.OrdinalIgnoreCase);

    /// <summary>Whether --joint-noise-power asks for both powers fitted where identified ('peak-fit', any case: <see cref="HyperLaws.Laws.Joint.JointFitOptions.PeakNoisePower"/> with <see cref="HyperLaws.Laws.Joint.JointFitOptions.IdentifiedNoisePower"/>).</summary>
    private static bool IsPeakFit(string text) => string.Equals(text.Trim(), "peak-fit", StringComparison.OrdinalIgnoreCase) || IsPeakFitClock(text) || IsPeakFitLagPrior(text);

    /// <summary>Whether --joint-noise-power asks for both powers fitted where identified with the effective step's clock ('peak-fit-clock', any case: <see cref="HyperLaws.Laws.Joint.JointFitOptions.EffectiveStepClock"/>).</summary>
    private static bool IsPeakFitClock(string text) => string.Equals(text.Trim(), "peak-fit-clock", StringComparison.OrdinalIgnoreCase);

    /// <summary>Whether --joint-noise-power asks for both powers fitted where identified with the noise lags' shares at their prior ('peak-fit-lagprior', any case: <see cref="HyperLaws.Laws.Joint.JointFitOptions.NoiseLagPrior"/>).</summary>
    private static bool IsPeakFitLagPrior(string text) => string.Equals(text.Trim(), "peak-fit-lagprior", StringComparison.OrdinalIgnoreCase);

    /// <summary>--joint-noise-power: 'auto' (the declared grid) or one power in (0, 2]; null when neither (refused at parse time).</summary>
    private static IReadOnlyList<double>? NoisePowersOf(string text)
    {
        string t = text.Trim();
        if (string.Equals(t, "auto", StringComparison.OrdinalIgnoreCase)) return HyperLaws.Laws.Joint.JointFitOptions.PowerGrid;
        return double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && HyperLaws.Laws.Joint.JointFitOptions.IsNoisePower(v) ? [v] : null;
    }

    /// <summary>--sizes for protocol 1 (scoreboard or intervals): known sizes of the MPL split, checked before any data is read.</summary>
    private static string[] Sizes(string sizes)
    {
        var sizeList = sizes.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (sizeList.Length == 0) throw new UserInputException($"--sizes: no size given (known: {string.Join(", ", MplSplit.Sizes)}).");
        foreach (var s in sizeList)
            if (!MplSplit.Published.ContainsKey(s)) throw new UserInputException($"--sizes: unknown size '{s}' (known: {string.Join(", ", MplSplit.Sizes)}).");
        return sizeList;
    }

    public override int Execute(CliIo io, ValidateSettings settings)
    {
        try
        {
            ValidateRenderer.Write(io, ValidateHandler.Run(io, settings), settings.Json);
            return 0;
        }
        catch (ValidationDataException e)
        {
            // The data folder (--data) is missing or not laid out like shared/data: name the option (unless the message names its own).
            throw new UserInputException(e.Message.StartsWith("--", StringComparison.Ordinal) ? e.Message : $"--data: {e.Message}");
        }
    }
}
