namespace HyperLaws.Laws.Joint;

/// <summary>How <see cref="JointLaw"/>'s noise term is parameterised in a fit.</summary>
public enum JointNoise
{
    /// <summary>
    /// Two families (intrinsic time, steps) relaxing with the Multi-Power Law's kernel (1 + x/lambda)^-b
    /// (<see cref="NoiseSpectrum"/>): three linear weights (W_time, W_steps and the floor's untied part V) and three
    /// nonlinear parameters (lambda_time, lambda_steps, b shared).
    /// </summary>
    Spectrum,

    /// <summary>
    /// Default: the twelve free non-negative lag weights w_m (<see cref="JointLaw.TimeLags"/>, <see cref="JointLaw.StepLags"/>),
    /// by NNLS (the spectrum measured no better, docs/VALIDATION.md).
    /// </summary>
    Free,

    /// <summary>
    /// The Multi-Power Law's own drop with its LR-dependent clock x = eta_k^-gamma S_k(t) (<see cref="NoiseClock"/>): two
    /// linear weights (the floor F and the memory W_clock; V = F - W_clock) and three nonlinear parameters (C, beta, gamma).
    /// </summary>
    Clock,
}
