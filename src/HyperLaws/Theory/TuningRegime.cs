namespace HyperLaws.Theory;

/// <summary>Which hyperparameters are tuned, and which are held fixed, when the proxy is minimised.</summary>
public enum TuningRegime
{
    /// <summary>Regime A: only eta is tuned; alpha and b are fixed (eta* ~ K^(-1/2)).</summary>
    LrOnly,

    /// <summary>Theorem 1: alpha fixed, eta and b tuned at a token budget (b* ~ T^(1/2), eta* ~ T^(-1/4)).</summary>
    FixedMomentum,

    /// <summary>Theorem 2: b fixed, eta and alpha tuned (alpha* ~ T^(-1/2), eta* ~ T^(-3/4)); valid while b &lt;= u*(T).</summary>
    FixedBatch,

    /// <summary>Theorem 3: eta, alpha and b tuned together (alpha* ~ T^(-1/3), b* ~ T^(1/6), eta* ~ T^(-7/12)).</summary>
    Joint,

    /// <summary>Remark 4 / Corollary 2: a batch-growth path b ~ T^c on the ridge b/alpha = u*(T), c in [0, 1/2].</summary>
    Ridge,

    /// <summary>eta and alpha fixed, b tuned: the "best over b at a fixed eta" curve of the paper's figure (no T^(-1/4)).</summary>
    FixedLearningRate,
}
