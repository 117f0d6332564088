using HyperLaws.Runs;

namespace HyperLaws.Planning;

/// <summary>
/// The level the plan scales from: the user's runs at the model size nearest the target, their longest budget, the peak LR
/// and batch they trained with (or, when the runs vary LR and batch, the calibrated optimum).
/// </summary>
/// <param name="Parameters">N of the reference runs (NaN when the runs do not say).</param>
/// <param name="TokensPerStep">Their batch in tokens.</param>
/// <param name="Steps">Their longest run's steps.</param>
/// <param name="PeakLearningRate">Their (best) peak LR: the plan's LR is this level times the rule's scaling.</param>
/// <param name="Momentum">Their momentum (beta1) when the runs say, else the optimizer's anchor value.</param>
/// <param name="TokensPerStepAssumed">True when the runs do not give their batch and it was assumed (see <see cref="RunReferences.Of"/>).</param>
/// <param name="MomentumAssumed">True when the runs do not give their momentum.</param>
/// <param name="Run">The reference run's name.</param>
public sealed record RunReference(double Parameters, double TokensPerStep, int Steps, double PeakLearningRate, double Momentum,
    bool TokensPerStepAssumed, bool MomentumAssumed, string Run)
{
    /// <summary>The reference budget in tokens, steps x tokens per step.</summary>
    public double Tokens => Steps * TokensPerStep;

    /// <summary>The runs of the reference's size whose stated batch <see cref="TokensPerStep"/> is, when the reference run states none and
    /// no batch was given (they all state this one); empty when the batch is the reference's own, given or assumed.</summary>
    public IReadOnlyList<string> TokensPerStepFrom { get; init; } = [];

    /// <summary>The batches the other runs of the reference's size state when they differ (so none was taken and the batch is assumed); else empty.</summary>
    public IReadOnlyList<(string Run, double Tokens)> PeerBatches { get; init; } = [];
}
