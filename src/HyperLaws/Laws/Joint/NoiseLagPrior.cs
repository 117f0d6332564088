namespace HyperLaws.Laws.Joint;

/// <summary>
/// A prior on the joint law's noise lag spectrum (<see cref="JointFitOptions.NoiseLagPrior"/>): the shares of the twelve free-lag noise
/// weights (<see cref="JointLaw.TimeLags"/> then <see cref="JointLaw.StepLags"/>), fixed in the fit, so that only their sum (the noise
/// floor's scale) is fitted. Fitted once (docs/VALIDATION.md, "Protocols 7 and 8: a prior on the noise lag spectrum from outside protocol
/// 8's set", helper lagprior), by <see cref="JointLawFitter"/> with <see cref="JointFitOptions.NoisePowersWhereIdentified"/> and the
/// saturation+cost mechanism, on runs outside shared/data: the 36 SlimPajama runs at batch 50x2 of protocol 17's lr-scheduling source
/// (github.com/fabian-sp/lr-scheduling @ 8ace3a327a396fbd4998ff7615d54012eba71573, MIT, Copyright (c) 2025 Fabian Schaipp, Alexander
/// Hägele; benchmarks/foreign-runs-lrsched/fetch.sh), sets sp-33m, sp-53m, sp-60m, sp-93m, sp-152m and sp-209m (per set a constant run at
/// its LR, cosine-to-10% runs at twice it at three horizons, and WSD runs with a 20% linear cooldown from the constant run), each curve its
/// validation points (a decaying run's after its last peak-LR step, as protocols 7 and 8 fit the 124M grid). The 124M sets (sp-124m,
/// sp-124m-ext: the 124M grid's size), sp-360m (batch 50x4), sp-209m-ext (WSD-only extensions) and sp-210m (a second recipe at sp-209m's size) are left out. The fit's powers there:
/// p = 0.5892 inside a run, p + q = 0.2665 across peaks (objective 1.465e-6). Its short WSD cooldowns (20%, at six sizes) are what
/// protocol 8's training set (constant and cosine runs only) lacks to pin how fast the noise's memory leaves at a decay's end.
/// </summary>
public static class NoiseLagPrior
{
    /// <summary>
    /// The shares, in <see cref="JointLaw"/>'s noise order (tau 1e-4, 1e-3, 1e-2, 0.1, 1, 10; steps 100, 300, 1,000, 3,000, 10,000,
    /// 30,000): the fitted weights 1.2660, 0.036987 and 0.13312 (tau 1e-2, 3,000 and 10,000 steps; the rest 0) over their sum. They sum to 1.
    /// </summary>
    public static IReadOnlyList<double> Shares { get; } =
    [
        0, 0, 0.8815534041237585, 0, 0, 0,
        0, 0, 0, 0.0257548757867009, 0.0926917200895406, 0,
    ];
}
