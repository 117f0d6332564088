using HyperLaws.Divergence;

namespace HyperLaws.Cli.Commands.Diverge;

/// <summary>A fitted divergence predictor with its leave-one-cell-out scores and the training summary.</summary>
/// <param name="Model">The predictor fitted on all runs.</param>
/// <param name="CrossValidation">The held-out scores.</param>
/// <param name="Runs">How many labelled runs.</param>
/// <param name="Diverged">How many of them diverged.</param>
/// <param name="Cells">How many cells (held-out groups).</param>
/// <param name="Seconds">Wall time of labelling and fitting.</param>
internal sealed record DivergeFitResult(DivergenceModel Model, DivergenceCrossValidation CrossValidation, int Runs, int Diverged, int Cells, double Seconds);
