using HyperLaws.Validation;

namespace HyperLaws.Cli.Commands.Validate;

/// <summary>Protocol 4 with <c>--laws joint</c>: the joint law's optimum (LR, batch) per Step Law cell, leave one cell out.</summary>
/// <param name="Result">The protocol's result (<see cref="StepLawJoint.Run"/>).</param>
/// <param name="LrSizeScale">Whether gamma_eta, the LR's own size exponent, was fitted.</param>
/// <param name="LrDataScale">Whether delta_eta, the LR's data scale, was fitted.</param>
/// <param name="Lasting">Whether the lasting term G g(peak LR) was fitted (--joint-lasting).</param>
/// <param name="LagPriorNeedsCurves">Whether the noise-lag prior applied only where runs have curves (--joint-lag-prior-curves-only).</param>
/// <param name="LrBatchFit">Whether b_eta was fitted where identified (--joint-batch-scale fit, the default).</param>
/// <param name="LrBatchHeld">b_eta where not fitted (--joint-batch-scale off: 0, or VALUE).</param>
internal sealed record StepLawJointScoreboard(StepLawJointResult Result, bool LrSizeScale, bool LrDataScale, bool Lasting = false, bool LagPriorNeedsCurves = false, bool LrBatchFit = true, double LrBatchHeld = 0) : ValidateResult(4);
