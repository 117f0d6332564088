namespace HyperLaws.Planning;

/// <summary>
/// The plan's final loss anchored on a run of its shape (<see cref="AnchoredLoss"/>): L = <see cref="Observed"/> x <see cref="Ratio"/>,
/// with the numbers that made it and the plan's numbers without it. <see cref="PlanExplainer"/> writes it in words (a
/// <see cref="ReasonKind.AnchoredLoss"/> reason).
/// </summary>
/// <param name="Run">The anchor run; "" when the runs hold no run of the plan's shape (then every number is NaN).</param>
/// <param name="Observed">O(a): its final evaluation, or without one its tail estimate (<see cref="Tail"/>) or its last logged loss of the fitted split.</param>
/// <param name="FinalEvaluation">True when <paramref name="Observed"/> is a final evaluation.</param>
/// <param name="LawOnRun">The plan's law on the run's own LRs, steps, size and batch.</param>
/// <param name="LawAtTarget">The plan's law (uncorrected) on the plan's schedule at the target.</param>
/// <param name="Predicted">The anchored loss O(a) x <paramref name="LawAtTarget"/> / <paramref name="LawOnRun"/>.</param>
/// <param name="Lower">Its interval, lower end.</param>
/// <param name="Upper">Its interval, upper end.</param>
/// <param name="Residuals">How many residuals of the anchored predictor within the runs calibrate the interval (0 without an anchor: none are computed).</param>
/// <param name="Calibrated">True when the interval is calibrated on them (at least <see cref="ConformalIntervalProvider.MinimumResiduals"/>); false: the plan's own interval moved to <paramref name="Predicted"/>.</param>
/// <param name="RunSteps">The run's steps.</param>
/// <param name="RunPeak">The run's peak LR (its units).</param>
/// <param name="Distance">The target's distance from the run, |ln(steps ratio)| + |ln(size ratio)| + |ln(peak ratio)|.</param>
/// <param name="WithoutLoss">The plan's loss without the anchor (the law's, with the horizon-bias correction when applied).</param>
/// <param name="WithoutLower">The plan's interval without the anchor, lower end.</param>
/// <param name="WithoutUpper">The plan's interval without the anchor, upper end.</param>
/// <param name="Applied">True when the plan prints the anchored loss and interval (<see cref="PlanOptions.AnchoredLoss"/>); false: reported only.</param>
public sealed record AnchoredLossDecision(string Run, double Observed, bool FinalEvaluation, double LawOnRun, double LawAtTarget, double Predicted, double Lower, double Upper,
    int Residuals, bool Calibrated, int RunSteps, double RunPeak, double Distance, double WithoutLoss, double WithoutLower, double WithoutUpper, bool Applied)
{
    /// <summary>The law's ratio of the target to the run: <see cref="LawAtTarget"/> / <see cref="LawOnRun"/>.</summary>
    public double Ratio => LawAtTarget / LawOnRun;

    /// <summary>The anchored predictor's residuals within the runs that calibrate the interval (empty without an anchor).</summary>
    public IReadOnlyList<HyperLaws.Evaluation.CalibrationResidual> CalibrationResiduals { get; init; } = [];

    /// <summary>
    /// True when <see cref="Observed"/> is the anchor's tail estimate (<see cref="AnchoredLoss.TailEstimate"/>, <see cref="PlanOptions.AnchorTail"/>):
    /// the run has no final evaluation; false: its final evaluation, or its last logged loss.
    /// </summary>
    public bool Tail { get; init; }

    /// <summary>With <see cref="Tail"/>: the run's last logged loss of the fitted split, which the estimate replaced; NaN otherwise.</summary>
    public double LastLogged { get; init; } = double.NaN;

    /// <summary>
    /// With <see cref="Tail"/>: the step of the first point the estimate read (<see cref="AnchoredLoss.TailPoints"/>), below
    /// (1 - <see cref="AnchoredLoss.TailFraction"/>) x <see cref="RunSteps"/> when the run logged nothing in its last tenth (then its last
    /// point before it); 0 otherwise.
    /// </summary>
    public int TailFrom { get; init; }

    /// <summary>True when the anchor's peak is beyond <see cref="AnchoredLoss.PeakFactor"/> of the plan's (<see cref="AnchoredLoss.FindAcrossLr"/>).</summary>
    public bool AcrossLr { get; init; }

    /// <summary>Across LR: the plan's peak / the anchor's, both in the runs' units (r); NaN otherwise.</summary>
    public double LrRatio { get; init; } = double.NaN;

    /// <summary>Across LR: M(p_a), the plan's law on the plan's schedule moved to the anchor's peak; NaN otherwise.</summary>
    public double LawAtRunPeak { get; init; } = double.NaN;

    /// <summary>Across LR: J(p), the LR law on the plan's schedule at the target; NaN otherwise.</summary>
    public double LrLawAtTarget { get; init; } = double.NaN;

    /// <summary>Across LR: J(p_a), the LR law on the plan's schedule moved to the anchor's peak; NaN otherwise.</summary>
    public double LrLawAtRunPeak { get; init; } = double.NaN;

    /// <summary>Across LR: which law gave J ("" otherwise): "plan" (the plan's own joint law), "prior" (the LR-axis prior's joint law), "joint" (fitted on the runs).</summary>
    public string LrLaw { get; init; } = "";

    /// <summary>Across LR: the factor the interval's half-widths were scaled by (<see cref="AnchoredLoss.LrWidening"/>); 1 otherwise.</summary>
    public double Widening { get; init; } = 1;

    /// <summary>True when the interval's residuals come from every horizon pair (<see cref="PlanOptions.AnchoredIntervalPairs"/>, <see cref="AnchoredLoss.AllPairResiduals"/>); false: each run's nearest anchor one horizon step back.</summary>
    public bool Pairs { get; init; }

    /// <summary>The distance the calibrated interval's width is read at: with <see cref="Pairs"/> d* = max(<see cref="Distance"/>, the residuals' nearest) (<see cref="AnchoredLoss.IntervalDistance"/>), else <see cref="Distance"/>; NaN when not calibrated.</summary>
    public double IntervalDistance { get; init; } = double.NaN;

    /// <summary>The prediction with the plan's law's ratio alone, O(a) x <see cref="Ratio"/> (across LR: the design the LR law replaces; else <see cref="Predicted"/>).</summary>
    public double LawRatioPredicted => AnchoredLoss.Predict(Observed, LawAtTarget, LawOnRun);

    /// <summary>True when the plan's loss is the anchored one.</summary>
    public bool Anchored => Applied && Run.Length > 0 && double.IsFinite(Predicted);

    /// <summary>No run of the plan's shape: nothing anchored.</summary>
    public static AnchoredLossDecision None(double loss, double lower, double upper, int residuals, bool applied) =>
        new("", double.NaN, false, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, residuals, false, 0, double.NaN, double.NaN, loss, lower, upper, applied);
}
