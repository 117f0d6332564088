using HyperLaws.Divergence;
using HyperLaws.Laws;
using HyperLaws.Laws.Joint;
using HyperLaws.Optimum;
using HyperLaws.Runs;

namespace HyperLaws.Validation;

/// <summary>One held-out Step Law cell: the joint law's optimum (LR, batch) and the loss gap of the grid run nearest it.</summary>
/// <param name="N">Model size (non-embedding parameters).</param>
/// <param name="D">Tokens.</param>
/// <param name="LawLr">The law's optimal peak LR for the cell.</param>
/// <param name="LawBatchTokens">The law's optimal batch (tokens per step), among the cell's batches.</param>
/// <param name="Gap">Smooth loss of the grid run nearest (LawLr, LawBatchTokens) over the cell's best smooth loss, minus 1.</param>
/// <param name="GridBestLr">The cell's best run's LR.</param>
/// <param name="GridBestBatchTokens">The cell's best run's batch.</param>
/// <param name="MeanRelError">
/// Mean relative error of the law's predicted final loss over the cell's fitted-range runs (loss at most 2x the best);
/// with cell offsets (the default) after removing the cell's mean residual, i.e. the error of the shape over LR and batch.
/// </param>
/// <param name="LrDataExponent">delta_eta of the law fitted without the cell (<see cref="JointLaw.LrDataExponent"/>; 0 unless <see cref="JointFitOptions.LrDataScale"/>).</param>
/// <param name="LrSizeExponent">gamma_eta of the law fitted without the cell (<see cref="JointLaw.LrSizeExponent"/>; 0 unless <see cref="JointFitOptions.LrSizeScale"/>).</param>
/// <param name="LrBatchExponent">b_eta of the law fitted without the cell (<see cref="JointLaw.LrBatchExponent"/>: fitted where identified with <see cref="JointFitOptions.LrBatchScale"/>, else the held value).</param>
public sealed record StepLawJointCell(double N, double D, double LawLr, double LawBatchTokens, double Gap, double GridBestLr, double GridBestBatchTokens, double MeanRelError,
    double LrSizeExponent = 0, double LrDataExponent = 0, double LrBatchExponent = 0);
