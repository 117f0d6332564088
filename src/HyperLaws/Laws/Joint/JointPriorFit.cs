using HyperLaws.Fitting;

namespace HyperLaws.Laws.Joint;

/// <summary>The joint law fitted on runs that cannot tell the LR axis, with the axis from an <see cref="LrAxisPrior"/> at one target.</summary>
/// <param name="Fit">The law (its parameters include the calibrated kappa and C).</param>
/// <param name="Axis">The calibrated axis.</param>
public sealed record JointPriorFit(LawFit Fit, LrAxisCalibrated Axis)
{
    /// <summary>
    /// Fits the rest of the law on <paramref name="curves"/> and its LR axis from <paramref name="prior"/> at the target, in two
    /// passes: (1) the law without LR mechanisms (one peak LR: <see cref="JointLawFitter"/> switches them off), calibrated at
    /// the target (<see cref="LrAxisCalibration"/>); (2) the rest refitted with that axis held fixed (<see cref="JointFitOptions.LrAxis"/>,
    /// so the offset, progress and noise are fitted with the saturation and cost the prior implies on the runs' own LRs), and
    /// the axis calibrated again on the refitted rest (the law's optimum for the reference schedule then lies at x* eta_ref exactly).
    /// </summary>
    /// <param name="curves">The runs.</param>
    /// <param name="prior">The prior.</param>
    /// <param name="n">The target's model size (for eta_ref).</param>
    /// <param name="tokens">The target's tokens.</param>
    /// <param name="steps">The target's steps.</param>
    /// <param name="lawSize">The model size the law is asked at (NaN when the runs give none).</param>
    /// <param name="lawBatch">The batch the law is asked at (NaN when the runs give none).</param>
    /// <param name="options">Fit settings (LrAxis and Mechanism are replaced).</param>
    /// <param name="fit">How the two fits are made (default <see cref="JointLawFitter.Fit"/>; the planner passes one that keeps finished fits).</param>
    /// <param name="batchFactor">eta_ref's factor for the target's batch (<see cref="LrAxisCalibration.Calibrate"/>; 1: the rule's batch).</param>
    public static JointPriorFit Make(IReadOnlyList<JointCurve> curves, LrAxisPrior prior, double n, double tokens, int steps, double lawSize, double lawBatch, JointFitOptions? options = null,
        Func<IReadOnlyList<JointCurve>, JointFitOptions, LawFit>? fit = null, double batchFactor = 1)
    {
        ArgumentNullException.ThrowIfNull(curves);
        ArgumentNullException.ThrowIfNull(prior);
        options ??= new JointFitOptions();
        fit ??= JointLawFitter.Fit;
        var first = fit(curves, options with { LrAxis = null });
        var law = (JointLaw)first.Law;
        var axis = LrAxisCalibration.Calibrate(law, first.Parameters, prior, n, tokens, steps, lawSize, lawBatch, batchFactor);
        var fixedAxis = axis.Fixed(first.Parameters, JointLaw.SizeRatio(lawSize), steps);
        var second = fit(curves, options with { LrAxis = fixedAxis });
        if (!second.Converged) second = first;
        axis = LrAxisCalibration.Calibrate(law, second.Parameters, prior, n, tokens, steps, lawSize, lawBatch, batchFactor);
        var made = second with { Parameters = axis.Apply(second.Parameters), StopReason = second.StopReason + "; LR axis from the prior (kappa, C calibrated at the target)" };
        return new JointPriorFit(made, axis);
    }
}
