using HyperLaws.Laws;
using HyperLaws.Laws.Joint;
using HyperLaws.Runs;

namespace HyperLaws.Validation;

/// <summary>
/// Settings of protocol 3 (the 124M schedule grid). The defaults are the protocol's headline, chosen
/// before looking at any held-out result: train on the constant runs plus the linear-cooldown runs of
/// fraction 0.2, fit on the validation points, one law per base LR.
/// </summary>
public sealed record GridOptions
{
    /// <summary>The linear WSD cooldown fraction whose runs join the constant runs in the training set.</summary>
    public double TrainFraction { get; init; } = 0.2;

    /// <summary>
    /// The loss curve the laws are fitted on: <see cref="LossSplit.Validation"/> (every 200 steps, 32
    /// batches) or <see cref="LossSplit.Train"/> (every 50 steps, one minibatch).
    /// </summary>
    public LossSplit FitOn { get; init; } = LossSplit.Validation;

    /// <summary>False: one law per base LR (fitted on that LR's training runs). True: one law across all LRs.</summary>
    public bool Pooled { get; init; }

    /// <summary>
    /// Per-LR fits of "mpl" and "mpl-box" only (not pooled): one drop shape (C, beta, gamma) fitted across the base LRs, L0, A,
    /// alpha and B per LR (<see cref="SharedShapeMpl"/>; the box of mpl-box on the shape). Off by default; other laws ignore it.
    /// </summary>
    public bool SharedMplShape { get; init; }

    /// <summary>
    /// Per-LR fits of the MPL laws ("mpl", "mpl-box", "mpl-pub"): a wider multi-start (declared in docs/VALIDATION.md, "Protocol 3:
    /// ... (helper p3rank; declared before scoring)"). Besides the law's own three starts, two starts from an MPL fit on the
    /// LR's constant run alone (its L0, A, alpha with its own B, C, beta, gamma; and with the published means of B, C, beta,
    /// gamma), and every start run to convergence (<see cref="FitOptions.ConvergeEveryStart"/>), the lowest objective kept.
    /// Off by default; other laws ignore it.
    /// </summary>
    public bool MplWideStarts { get; init; }

    /// <summary>
    /// Also score each law anchored (<see cref="ScheduleGrid.AnchoredSuffix"/>: "tissue-a"): the same fits, each run's value moved by the
    /// law's mean residual on its LR's constant run over the last 5 observations its schedule shares with it
    /// (<see cref="HyperLaws.Evaluation.AnchoredPrediction"/>; docs/VALIDATION.md, "Protocol 3 and 17r: the observed level plus the
    /// law's remaining drop"). Off by default; <see cref="EnsembleGrid"/> turns it on.
    /// </summary>
    public bool Anchored { get; init; }

    /// <summary>Settings of the robust fit (default <see cref="FitOptions"/>).</summary>
    public FitOptions? Fit { get; init; }

    /// <summary>How the law "joint" is fitted (e.g. its <see cref="JointFitOptions.Noise"/>); null: the catalogue's default.</summary>
    public JointFitOptions? Joint { get; init; }

    /// <summary>Pooled fits of the law "joint": also fit its stability-edge term, the edge placed by <see cref="GridEdge.For"/> (the training runs and the grid's diverged runs).</summary>
    /// <remarks>Null (default): off; <see cref="JointEdgeHeight.Plateau"/>: H fixed at the plateau's height.</remarks>
    public JointEdgeHeight? JointEdge { get; init; }
}
