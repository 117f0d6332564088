using HyperLaws.Divergence;
using HyperLaws.Fitting;
using HyperLaws.Laws.Joint;
using HyperLaws.Optimum;
using HyperLaws.Runs;
using static System.FormattableString;

namespace HyperLaws.Planning;

/// <summary>How a plan is made besides the request.</summary>
public sealed record PlanOptions
{
    /// <summary>
    /// The schedule-to-loss laws to try; the one with the smallest held-out final-loss error makes the plan. "joint" is the
    /// joint law over schedule, peak LR, N and batch (<see cref="JointPlanLaw"/>, fitted in the runs' absolute LRs, no LR scaling rule).
    /// </summary>
    public IReadOnlyList<string> Laws { get; init; } = ["optlaw"];

    /// <summary>The divergence model (null: none); used through <see cref="CriticalLrGuard"/> unless <see cref="Guard"/> is given.</summary>
    public DivergenceModel? Divergence { get; init; }

    /// <summary>
    /// The stated divergence risk: one run in four (0.25). The CLI warns when a plan's peak has P(diverge) at or above it
    /// (<see cref="WarningKind.DivergenceRisk"/>, auditfix1), and <see cref="DivergenceRisk"/> set to it holds the peak below it. Not tuned
    /// to any score.
    /// </summary>
    public const double StatedDivergenceRisk = 0.25;

    /// <summary>
    /// The divergence probability at or above which the planner's model guard (<see cref="CriticalLrGuard"/>, <see cref="ModelDivergenceGuard.Risk"/>)
    /// counts a peak as diverging and holds the plan below it, in (0, 0.5]. Default <see cref="StatedDivergenceRisk"/> (0.25), adopted by the
    /// declared backtest of docs/VALIDATION.md "The plan's peak at the divergence boundary" (Step Law rows, cells held out: picks at the
    /// limit that diverged 28 -> 15 of 170, no cost at the rows' optima); 0.5 is the boundary eta_crit itself (P = 1/2), the guard before.
    /// The evidence guard (<see cref="EvidenceDivergenceGuard"/>, 0/1 verdicts) and a given <see cref="Guard"/> ignore it.
    /// </summary>
    public double DivergenceRisk { get; init; } = StatedDivergenceRisk;

    /// <summary>
    /// How the joint law is fitted wherever a plan fits it: the law among <see cref="Laws"/> ("joint": its held-out check, final fit and
    /// calibration refit), the LR-axis prior's fit (<see cref="LrPrior"/>, <see cref="JointPriorFit"/>) and the law of loss against peak LR
    /// that anchors across LR (<see cref="AcrossLrAnchor.LrLaw"/>). Default: the joint law's own options (<see cref="JointFitOptions"/>: both
    /// noise powers fitted where the runs identify them, the noise lags' shares at their prior; p = 1 elsewhere). <see cref="JointFitOptions.PowerOne"/>
    /// is the law with p = 1 and free lag weights, the law before helper lagdefault (docs/VALIDATION.md "The joint law's lag prior as the default").
    /// </summary>
    public JointFitOptions Joint { get; init; } = new();

    /// <summary>Where <see cref="Divergence"/> came from, for the reasons.</summary>
    public string DivergenceSource { get; init; } = "";

    /// <summary>
    /// The optimizer <see cref="Divergence"/> was fitted on (the shipped prior: AdamW, the Step Law runs); null: applied to any. For a plan of
    /// another optimizer the model is not used: the guard is the runs' own evidence (<see cref="EvidenceDivergenceGuard"/>), with a
    /// <see cref="WarningKind.NoDivergencePrior"/> warning.
    /// </summary>
    public TrainingOptimizer? DivergenceOptimizer { get; init; }

    /// <summary>Tokens per step of the runs when their files do not say.</summary>
    public double? RunsTokensPerStep { get; init; }

    /// <summary>
    /// How the schedule laws fitted on the runs count the plan's steps when its batch is not the runs' (<see cref="Planning.BatchSteps"/>;
    /// the joint law takes the plan's batch itself). Default: the critical batch, by the declared rule of docs/VALIDATION.md "Protocol 17c with
    /// steps counted by the critical batch" (on protocol 17c's 360M runs at twice the batch the three laws that fit six sizes are 1.5-1.6%
    /// high counted so, 3.6-3.8% counted in steps; 209M unchanged).
    /// </summary>
    public BatchSteps BatchSteps { get; init; } = BatchSteps.CriticalBatch;

    /// <summary>The published rule used when the runs cannot calibrate the LR and batch.</summary>
    public IOptimumRule Anchor { get; init; } = PublishedAnchors.Primary;

    /// <summary>Progress lines for people (stage names); null for none.</summary>
    public Action<string>? Progress { get; init; }

    /// <summary>The loss curve the law is fitted on: each run's <see cref="LossSplit.Train"/> losses (the default) or its
    /// <see cref="LossSplit.Validation"/> losses; a run that logs none of that split gives the other.</summary>
    public LossSplit FitOn { get; init; } = LossSplit.Train;

    /// <summary>
    /// The law seam: a law that predicts the loss of a schedule at the target (N, D, batch), e.g. a joint law fitted across
    /// LR, horizon and size. When given, the planner decides with it and does not fit <see cref="Laws"/>.
    /// </summary>
    public IPlanLaw? Law { get; init; }

    /// <summary>
    /// The interval seam: prediction intervals. Default: conformal (<see cref="ConformalIntervalProvider"/>, calibrated on the
    /// held-out check's residuals and one fit on the runs cut to half their steps) when the runs give at least
    /// <see cref="ConformalIntervalProvider.MinimumResiduals"/> residuals, else the law's worst held-out final-loss error
    /// (<see cref="HeldOutInterval"/>).
    /// </summary>
    public IIntervalProvider? Intervals { get; init; }

    /// <summary>
    /// True (the default since protocol 6's declared rule held, docs/VALIDATION.md "Protocol 6 with the horizon-bias correction"):
    /// the plan's predicted losses are corrected by the bias of the horizon extrapolation within the runs (<see cref="HorizonBias"/>,
    /// from the calibration's residuals: needs <see cref="Calibrate"/>), and among several laws the one with the smallest corrected
    /// held-out error plans; false: the law's losses and the uncorrected choice, the correction only reported.
    /// </summary>
    public bool HorizonBias { get; init; } = true;

    /// <summary>
    /// True: the conformal interval is signed (two one-sided tails of the residuals, <see cref="Evaluation.ConformalCalibration.Signed"/>;
    /// docs/VALIDATION.md "Protocol 9, fourth round"), calibrated, when <see cref="HorizonBias"/> applies, on the residuals about the
    /// corrected prediction (<see cref="Planning.HorizonBias.AboutCorrected"/>); false: <see cref="CrossStepIntervals"/>'s rule (the default), or symmetric.
    /// </summary>
    public bool SignedIntervals { get; init; }

    /// <summary>
    /// True: the conformal interval follows the finite-sample tiers (<see cref="Evaluation.ConformalCalibration.FiniteSample"/>,
    /// docs/VALIDATION.md "The planner's interval with few residuals"; takes precedence over <see cref="SignedIntervals"/>): two exact
    /// tails when the residuals allow both ranks (19 or more at 90%), the exact symmetric quantile with 9-18, a stated normal-theory
    /// bound with fewer; calibrated, when <see cref="HorizonBias"/> applies, on the residuals about the corrected prediction.
    /// </summary>
    public bool FiniteSampleIntervals { get; init; }

    /// <summary>
    /// True: variant K, the tails chosen by the centre (docs/VALIDATION.md "Intervals: the tails chosen by the centre";
    /// <see cref="FiniteSampleIntervals"/> and <see cref="SignedIntervals"/> take precedence): when the plan's centre is corrected
    /// (<see cref="HorizonBias"/> on and at least <see cref="Planning.HorizonBias.MinimumResiduals"/> horizon residuals), a symmetric
    /// finite-sample interval of the residuals about the corrected prediction (<see cref="Evaluation.ConformalCalibration.FiniteSampleSymmetric"/>:
    /// their sign is not trusted); otherwise the finite-sample tiers of the residuals about the law's own prediction.
    /// </summary>
    public bool CentredIntervals { get; init; }

    /// <summary>
    /// True: variant X, residuals corrected across horizon steps (docs/VALIDATION.md "Intervals: residuals corrected across horizon steps";
    /// <see cref="CentredIntervals"/>, <see cref="FiniteSampleIntervals"/> and <see cref="SignedIntervals"/> take precedence): when the
    /// centre is corrected and the horizon residuals span two steps or more, the symmetric finite-sample interval of the residuals each
    /// corrected by the other steps' bias (<see cref="Planning.HorizonBias.AboutOtherSteps"/>); with one step the symmetric interval of
    /// the residuals about the law's own prediction; with no correction the finite-sample tiers. The default since its declared rule
    /// was met (docs/VALIDATION.md "Intervals: residuals corrected across horizon steps": the plan backtest 11 of 12, 7 of 8 at
    /// 35k/50k, mean width 6.8% against the symmetric interval's 10.4%); false (with the other rules false): the symmetric interval.
    /// </summary>
    public bool CrossStepIntervals { get; init; } = true;

    /// <summary>
    /// True (with <see cref="CrossStepIntervals"/>): variant P, a pseudo horizon step where the runs have one (docs/VALIDATION.md
    /// "Intervals: a pseudo horizon step when the runs have one"): when the centre is corrected, the horizon residuals are all of one
    /// horizon and the plan extrapolates in horizon (R = its steps / the longest run's &gt; 1), one more calibration fit on the held-out
    /// check's runs cut to 1 / R of their steps (at least <see cref="ConformalIntervalProvider.Truncation"/>) predicts their ends, and the
    /// interval is variant X's two-step rule on the real and these pseudo residuals (<see cref="ConformalIntervalProvider.PseudoStep"/>);
    /// elsewhere variant X unchanged. False (the default until its declared rule is met): variant X.
    /// </summary>
    public bool PseudoStepIntervals { get; init; }

    /// <summary>
    /// True: variant W, the interval widened by the schedule-shape distance (docs/VALIDATION.md "Intervals widened by the schedule-shape
    /// distance"): the interval rule in force (<see cref="CrossStepIntervals"/>' by default) on scores r_i / (1 + g d_i + g_s D_i), D_i each
    /// calibration residual's shape distance from its fit's runs (<see cref="Evaluation.ScheduleShape"/>), g and g_s by
    /// <see cref="Evaluation.ConformalCalibration.CalibrateShape(IReadOnlyList{Evaluation.CalibrationResidual}, double)"/> (g_s at its prior 10
    /// where no residual shows a shape extrapolation), and the width 1 + g d + g_s D at the plan, D its schedule's distance from the runs
    /// the law is fitted on (<see cref="PlanExtrapolation.Shape"/>). False (the default until its declared rule is met): no shape term.
    /// </summary>
    public bool ShapeIntervals { get; init; }

    /// <summary>
    /// True: variant N, the interval widened by the size-extrapolation distance (docs/VALIDATION.md "Intervals widened by the
    /// size-extrapolation distance"): where the plan's model size lies outside the runs' sizes, the calibration residuals also hold the
    /// runs' own size extrapolations (<see cref="Evaluation.ConformalCalibration.SizeNested"/>: fit the runs of two or more smaller sizes,
    /// predict the next size's final losses), the interval rule in force on scores r_i / (1 + g d'_i + g_N s_i), s_i = ln S_i, d'_i without it,
    /// g_N by <see cref="Evaluation.ConformalCalibration.CalibrateSize"/> (its prior 1 where no residual extrapolates in size), and the width
    /// 1 + g d' + g_N s at the plan. A plan inside the runs' sizes gets the interval it has without the option, bit for bit. False (the
    /// default until its declared rule is met): the size ratio is a part of d.
    /// </summary>
    public bool SizeIntervals { get; init; }

    /// <summary>
    /// True (the default): the schedule-regret rule (<see cref="Planning.ObservedBest"/>, docs/VALIDATION.md "Protocol 6: the
    /// schedule-regret rule"): the plan keeps the schedule the runs show best unless the law's predicted gain over it exceeds the law's
    /// schedule-comparison error measured on the runs. False: the law's pick, the rule's decision reported only.
    /// </summary>
    public bool ObservedBest { get; init; } = true;

    /// <summary>
    /// True (the default; docs/VALIDATION.md "The plan's peak LR decided for the schedule it keeps"): the schedule-regret rule takes its
    /// incumbent to the target at the incumbent's own peak, the planner's peak decision (the law's optimum for that shape, the same
    /// guards and LR interval) made again for its shape; a kept incumbent is planned at that peak. False: at the law's pick's peak.
    /// </summary>
    public bool PeakForKeptSchedule { get; init; } = true;

    /// <summary>
    /// True (the default since its declared rule held: protocol 6's 12 plans at 35k and 50k, mean |predicted / final-val - 1| 1.259% -> 0.612%,
    /// within +-1% 7 -> 11, intervals holding the final-val 8 -> 9, every schedule and regret unchanged): the plan's loss anchored on a run of
    /// its shape (<see cref="Planning.AnchoredLoss"/>, docs/VALIDATION.md "Protocol 6: the plan's loss anchored on a run of its shape"): where the
    /// law's runs hold a run of the plan's schedule shape, the plan prints that run's observed loss times the law's ratio of the target to the
    /// run, with an interval calibrated on the same predictor's residuals within the runs. False: the law's loss (with the horizon-bias
    /// correction), the anchored loss reported only. The schedule is the same either way.
    /// </summary>
    public bool AnchoredLoss { get; init; } = true;

    /// <summary>
    /// True (the default since its declared rule held: protocol 6's 12 plans at 35k and 50k, intervals holding the final-val 9 -> 10, mean
    /// relative width 1.75% -> 2.01%, every prediction, schedule and regret unchanged; the forward check 108 -> 114 of 120): the anchored
    /// loss's interval from every horizon pair of the runs (docs/VALIDATION.md "Protocol 6: the anchored interval from every horizon pair"):
    /// residuals of the anchored predictor for each run paired with its shape's anchor at every shorter horizon
    /// (<see cref="Planning.AnchoredLoss.AllPairResiduals"/>), and the width never narrower than at the residuals' nearest distance
    /// (<see cref="Planning.AnchoredLoss.IntervalDistance"/>). False: the residuals one horizon step back, read at the target's distance.
    /// </summary>
    public bool AnchoredIntervalPairs { get; init; } = true;

    /// <summary>
    /// The anchored loss when no run of the plan's shape lies within x2 of its peak (<see cref="Planning.AnchoredLoss"/>, "Across peak LR";
    /// docs/VALIDATION.md "Protocol 6: the plan's loss anchored across peak LR"): <see cref="AcrossLrAnchor.Off"/> no anchor (the law's loss),
    /// <see cref="AcrossLrAnchor.LrLaw"/> the peak-LR part of the ratio from the joint law, <see cref="AcrossLrAnchor.PlanLaw"/> the plan's law's ratio alone.
    /// <see cref="AcrossLrAnchor.LrLaw"/> by default since its declared rule held on protocol 6 with every anchor forced across LR (12 plans at
    /// 35k and 50k, anchors at 4x): mean |predicted / final-val - 1| 1.259% (no anchor) -> 0.848%, intervals holding the final-val 8 -> 11
    /// (the plan's law's ratio alone: 2.847%, 7). Applied only where <see cref="AnchoredLoss"/> is.
    /// </summary>
    public AcrossLrAnchor AnchorAcrossLr { get; init; } = AcrossLrAnchor.LrLaw;

    /// <summary>
    /// The anchored loss's O(a) when the anchor run has no final evaluation (<see cref="Planning.AnchoredLoss.TailEstimate"/>; docs/VALIDATION.md
    /// "The plan's anchor without a final evaluation"): for the splits named, the run's level over its last tenth against the law's shape,
    /// carried to its last step by it; otherwise its last logged loss of the fitted split (one train minibatch, or a validation point before
    /// its end). <see cref="AnchorTailSplits.Train"/> by default: its declared rule held for train-fitted plans (mean |O(a) / final evaluation
    /// - 1| on the runs with one hidden, last point -> tail estimate: 124M grid 2.985% -> 2.222%, lr-scheduling 2.991% -> 1.985%) and failed
    /// for val-fitted ones on the grid (1.069% -> 1.169%; lr-scheduling 0.892% -> 0.861%). An anchor with a final evaluation is unchanged either way.
    /// </summary>
    public AnchorTailSplits AnchorTail { get; init; } = AnchorTailSplits.Train;

    /// <summary>Whether <see cref="AnchorTail"/> estimates O(a) for a plan fitted on <paramref name="split"/>.</summary>
    public bool TailFor(LossSplit split) => AnchorTail switch
    {
        AnchorTailSplits.TrainAndValidation => true,
        AnchorTailSplits.Train => split == LossSplit.Train,
        _ => false,
    };

    /// <summary>Validation only (protocol 6's cross-LR variant): runs within x2 of the plan's peak never anchor it, so every anchor is across LR.</summary>
    public bool ForceAnchorAcrossLr { get; init; }

    /// <summary>False: no conformal calibration (its extra fit is skipped); the interval is the held-out worst error.</summary>
    public bool Calibrate { get; init; } = true;

    /// <summary>
    /// Whether the runs' own final losses decide the peak where they show it (<see cref="PeakEvidence"/>; docs/VALIDATION.md, "The runs decide
    /// the peak where they bracket it", amended in "After the review: like-for-like groups" and "The runs decide the peak of their own
    /// shape"): with runs at two or more peaks of the plan's own schedule shape at the reference's size, horizon and batch, a law's optimum
    /// that their ordering contradicts is replaced by the runs' optimum (<see cref="GuardKind.RunsEvidence"/>). No effect with runs at one
    /// peak. On by default since its declared check passed (protocol 6 no worse than without it, the shipped plans unchanged;
    /// "The runs decide the peak of their own shape, warmups compared apart: results"); <c>plan --no-runs-peak</c> turns it off.
    /// </summary>
    public bool PeakFromRunsEvidence { get; init; } = true;

    /// <summary>
    /// With <see cref="PeakFromRunsEvidence"/>: where the runs' evidence does not decide the peak (no ordering beyond its margin, or one that
    /// admits the law's optimum), the runs' best peak of the plan's own shape as measured, whatever its margin (<see cref="PeakEvidence.Of"/>
    /// with margin false: the bracket's vertex, else the best peak), is taken when the law cannot tell it from its own optimum: the law's
    /// loss there within <see cref="PeakEvidence.NoRepeatsMargin"/> (0.1%, issue 10's regret tolerance) of its optimum's (docs/VALIDATION.md,
    /// "The peak where neither the law nor the runs decide alone"). Default false.
    /// </summary>
    public bool PeakFromRunsBest { get; init; }

    /// <summary>
    /// With <see cref="PeakFromRunsEvidence"/>: each run's final loss in the runs' evidence is its final evaluation (the reader's evaluation
    /// at the run's last step, <see cref="HorizonBias.FinalEvaluationOf"/>; W&amp;B's history.final-val) where every run of the group has
    /// one, else its last logged loss as before; for a plan fitted on either split (the evidence is a measurement of which peak ends
    /// lowest, not the law's fit). Margins unchanged (docs/VALIDATION.md, "The runs' peak evidence from a run's final evaluation").
    /// True (the default since its declared rule held: protocol 6's 18 plans' regrets and covers unchanged, two 50k plans' peaks moved up
    /// to the grid's best 2e-3 by the 60%-cooldown runs' final-val at 35,000 steps; the shipped plans unchanged); false reads the last logged
    /// losses.
    /// </summary>
    public bool PeakFromFinalEvaluation { get; init; } = true;

    /// <summary>
    /// The LR-axis prior (data/priors/lr-axis-steplaw.json): used when the runs the law is fitted on share one peak LR, so that
    /// the law's loss turns up in the peak LR (<see cref="JointPriorFit"/>; with a law other than the joint law, through
    /// <see cref="LrAxisPlanLaw"/>). Null: none (the peak is then held to the runs' LR by the guard).
    /// </summary>
    public LrAxisPrior? LrPrior { get; init; }

    /// <summary>Where <see cref="LrPrior"/> came from, for the reasons.</summary>
    public string LrPriorSource { get; init; } = "";

    /// <summary>
    /// Finished fits kept between plans (null: none, every law fitted): the held-out check, the final fit and the calibration
    /// refit of each law go through <see cref="CachedLaw"/>, keyed by a hash of the runs, the law and the fit options
    /// (<see cref="FitCacheKey"/>); a plan made from stored fits is the plan made by fitting.
    /// </summary>
    public IFitCache? FitCache { get; init; }

    /// <summary>
    /// The flat-ridge stop of the held-out check's fits only (<see cref="HyperLaws.Laws.FitOptions.RidgeTolerance"/>; issue 12, helper coldplan,
    /// declared in docs/VALIDATION.md "Plan cold path"): each law fitted by <see cref="HyperLaws.Laws.LawFitter"/>'s Levenberg-Marquardt loop (MPL,
    /// tissue, a law across sizes such as optlaw(N); not OptLaw's own procedure on runs of one size, nor the joint law's) stops its held-out fit once its curves move less than this fraction
    /// of its residual RMS over <see cref="HyperLaws.Laws.FitOptions.RidgeWindow"/> accepted iterations. The final fit and the calibration's
    /// refits are made without it. The default is the declared tau, <see cref="HyperLaws.Laws.FitOptions.DeclaredRidgeTolerance"/> (0.01),
    /// since its declared scoring passed (protocol 6 with tissue and MPL: every plan's cover and regret unchanged; the 400M, 1.3B and
    /// demo plans choose the same law); 0 gives the held-out check as before. Must be 0 or positive and finite.
    /// </summary>
    public double HeldOutRidgeTolerance { get; init; } = HyperLaws.Laws.FitOptions.DeclaredRidgeTolerance;

    /// <summary>
    /// The most observed points one curve contributes to the plan's fits of a schedule law (the held-out checks, the final fit and the
    /// calibration refits; <see cref="HyperLaws.Laws.FitOptions.MaxPointsPerCurve"/>): a longer curve is fitted on this many bin means of
    /// consecutive points (<c>PointBudget</c>). Default 2,000, the value declared for <see cref="HyperLaws.Laws.FitOptions.CoarsePoints"/> and in
    /// docs/VALIDATION.md "Long runs" (a 10^6-step log with a point every 100 steps); not tuned to any score. No curve of protocols 1-6 has
    /// more than about 1,030 points, so their plans are the same bit for bit; a 143,000-point PolyPythias log is fitted on 2,000 bin means of
    /// 71-72 steps (docs/VALIDATION.md, "Plans whose law horizon does not fit in memory, and the PolyPythias plan's time").
    /// <see cref="int.MaxValue"/>: every point, as before. Must be at least 2.
    /// </summary>
    public int MaxPointsPerCurve { get; init; } = 2000;

    /// <summary>
    /// True (the default): the fits that do not depend on one another (each law's held-out check and the LR-axis prior's joint fit;
    /// then the chosen law's final fit and its calibration refit) run side by side; false: one after another. The plan is the same.
    /// </summary>
    internal bool ParallelFits { get; init; } = true;

    /// <summary>
    /// Tests only: the law whose second stage starts early (<see cref="PlanFits.Speculating"/>) given the finished held-out checks'
    /// indices, in place of the law those checks choose (null: theirs). The plan is the same whatever it picks: a pick that is not
    /// the choice is cancelled or dropped.
    /// </summary>
    internal Func<IReadOnlyList<int>, int>? EarlyPick { get; init; }

    /// <summary>The divergence seam: a guard on the LR axis (default: <see cref="Divergence"/> through <see cref="CriticalLrGuard"/>, closed form on eta_crit).</summary>
    public IDivergenceGuard? Guard { get; init; }
}
