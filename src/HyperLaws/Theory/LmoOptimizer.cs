namespace HyperLaws.Theory;

/// <summary>The LMO optimizers of the paper, each with momentum; they differ in the norm ball.</summary>
public enum LmoOptimizer
{
    /// <summary>Normalized SGD: l2 ball, lmo(m) = -m/||m||_2.</summary>
    NormalizedSgd,

    /// <summary>signSGD: l-infinity ball, lmo(m) = -sign(m); the paper's stand-in for Adam.</summary>
    SignSgd,

    /// <summary>Muon: spectral-norm ball per matrix, lmo(M) = -U V^T for M = U S V^T.</summary>
    Muon,
}
