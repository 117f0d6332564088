using HyperLaws.Optimum;

namespace HyperLaws.Planning.Sweeps;

/// <summary>
/// What a calibration sweep is made for (a target run of <see cref="Params"/> parameters on <see cref="Tokens"/> tokens)
/// and how it is laid out. The defaults are the ones <see cref="SweepDesigner"/> documents; every field is checked there.
/// </summary>
/// <param name="Params">N, the target model's parameters (non-embedding, as the anchors count them).</param>
/// <param name="Tokens">T, the target run's tokens.</param>
public sealed record SweepOptions(double Params, double Tokens)
{
    /// <summary>The optimizer the sweep and the target run use (the anchors' LR is carried to it).</summary>
    public TrainingOptimizer Optimizer { get; init; } = TrainingOptimizer.AdamW;

    /// <summary>
    /// The user's runs' evidence (<see cref="RunEvidence"/>): for an optimizer no published rule was fitted on (<see cref="SweepDesigner.HasPublishedRule"/>)
    /// the grid is centred on its best run's peak, carried to each budget by the LMO rule; without it such a sweep is refused.
    /// </summary>
    public RunEvidence? Evidence { get; init; }

    /// <summary>Tokens per sequence: batches are whole sequences.</summary>
    public int SequenceLength { get; init; } = 2048;

    /// <summary>The model size of the sweep runs (default: the target's N); at most N.</summary>
    public double? SweepParams { get; init; }

    /// <summary>The small token budgets, when given; otherwise <see cref="BudgetCount"/> log-spaced ones in T/1000..T/100.</summary>
    public IReadOnlyList<double>? Budgets { get; init; }

    /// <summary>The number of default budgets (when <see cref="Budgets"/> is not given).</summary>
    public int BudgetCount { get; init; } = 3;

    /// <summary>The default budgets' range as fractions of T (smallest, largest).</summary>
    public double SmallestFraction { get; init; } = 1e-3;

    /// <summary>The largest default budget as a fraction of T.</summary>
    public double LargestFraction { get; init; } = 1e-2;

    /// <summary>Learning rates per batch and budget, log-spaced over anchor x [1/<see cref="LrSpan"/>, <see cref="LrSpan"/>].</summary>
    public int LrPoints { get; init; } = 5;

    /// <summary>The LR span: the sweep's LRs run from anchor / span to anchor x span.</summary>
    public double LrSpan { get; init; } = 4;

    /// <summary>Batch sizes per budget: the anchor's batch rounded, then doubled and halved.</summary>
    public int BatchPoints { get; init; } = 3;

    /// <summary>Batches are multiples of this many sequences; null: powers of two.</summary>
    public int? BatchMultiple { get; init; }

    /// <summary>Warmup W = max(<see cref="MinWarmup"/>, ceil(<see cref="WarmupFraction"/> S)).</summary>
    public double WarmupFraction { get; init; } = 0.01;

    /// <summary>The shortest warmup in steps.</summary>
    public int MinWarmup { get; init; } = 100;

    /// <summary>Steps a run must have after its warmup; smaller budgets are refused.</summary>
    public int MinStepsAfterWarmup { get; init; } = 300;

    /// <summary>The WSD cooldown of the LR x batch grid, as a fraction of the run.</summary>
    public double Cooldown { get; init; } = 0.2;

    /// <summary>The schedule arm's second WSD cooldown length.</summary>
    public double SecondCooldown { get; init; } = 0.5;

    /// <summary>The schedule arm run at each budget's centre LR and batch.</summary>
    public IReadOnlyList<SweepArm> Arms { get; init; } = [SweepArm.Constant, SweepArm.Cosine, SweepArm.Wsd];

    /// <summary>Momentum (beta1 for AdamW) of every run; null: the anchor recipe's.</summary>
    public double? Momentum { get; init; }

    /// <summary>The published rule the grid is centred on.</summary>
    public IOptimumRule Anchor { get; init; } = PublishedAnchors.Primary;

    /// <summary>A sweep costing more than this fraction of the target run's compute gets a warning.</summary>
    public double MaxComputeFraction { get; init; } = 0.3;
}
