using HyperLaws.Divergence;

namespace HyperLaws.Cli.Commands.Diverge;

/// <summary>A saved boundary calibrated on one sweep, with leave-one-run-out scores of the saved and the calibrated boundary.</summary>
/// <param name="Model">The calibrated model (the saved rule with A moved by the offset).</param>
/// <param name="Calibration">The offset fitted on all the sweep's runs.</param>
/// <param name="HeldOut">Each run held out in turn: the saved boundary (<see cref="SweepVariant.Prior"/>) and the calibration on the other runs (<see cref="SweepVariant.RunOutCell"/>).</param>
/// <param name="Runs">How many labelled runs.</param>
/// <param name="Diverged">How many of them diverged.</param>
internal sealed record DivergeCalibrateResult(DivergenceModel Model, CalibratedBoundary Calibration, WithinSweepCrossValidation HeldOut, int Runs, int Diverged);
