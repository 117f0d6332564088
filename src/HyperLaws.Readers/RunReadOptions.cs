using HyperLaws.Schedules;

namespace HyperLaws.Readers;

/// <summary>Options shared by every reader. The defaults suit the bundled data sets.</summary>
public sealed record RunReadOptions
{
    /// <summary>The default options (every property at its documented default).</summary>
    public static RunReadOptions Default { get; } = new();

    /// <summary>
    /// Divergence rule: a run is marked diverged at the first observation whose loss exceeds this factor
    /// times the running minimum of its split, or at the first non-finite loss after a finite one.
    /// 1.5 and not 2: the one diverged run of the 124M grid plateaus at 1.6x its minimum, and no
    /// healthy curve of the bundled data (minibatch losses included) rises above 1.3x its running minimum.
    /// </summary>
    public double DivergenceFactor { get; init; } = 1.5;

    /// <summary>Relative tolerance of the check of reconstructed per-step LRs against logged ones.</summary>
    public double LrRelativeTolerance { get; init; } = 1e-6;

    /// <summary>
    /// Turns a schedule spec (<c>cosine(peak=3e-4,warmup=2160,steps=24000,floor=3e-5)</c>) into per-step
    /// learning rates (index 0 = step 1). Null: the core's <c>LrSchedule.Parse(spec).Evaluate()</c>.
    /// </summary>
    public Func<string, double[]>? ScheduleEvaluator { get; init; }

    /// <summary>
    /// A schedule spec to use when a generic or TensorBoard log has LRs only at some steps and names no
    /// schedule itself. The file's own <c>schedule</c> metadata wins over this.
    /// </summary>
    public string? Schedule { get; init; }

    /// <summary>
    /// The folder a table's relative <c>file</c> in <see cref="Schedule"/> is read from; null: the current folder (a spec typed on the
    /// command line). A spec read from a file beside the runs (protocol 14's manifest, <c>CrossData.Load</c>) names its table from
    /// that file's folder, as it names the runs. A run file's own <c>schedule</c> metadata names it from the run file's folder.
    /// </summary>
    public string? ScheduleFolder { get; init; }

    /// <summary>
    /// A log with LRs at some steps only (every 50 steps, say) and no schedule: fill the other steps by linear
    /// interpolation between the logged LRs, holding the first logged LR before it and the last after it, instead of
    /// an error. The run's tag <c>lr</c> says so. A schedule (metadata or <see cref="Schedule"/>) wins over this.
    /// </summary>
    public bool InterpolateLr { get; init; }

    /// <summary>
    /// Column mapping for CSV tables (generic, W&amp;B UI "Download CSV", <c>run.history()</c> exports) and the keys of JSONL logs:
    /// the step, loss and LR columns by header name or key. For a W&amp;B UI export a name also matches the metric part of
    /// <c>"run - metric"</c>. Null: the first of <see cref="MetricNames"/>' list that the file has.
    /// </summary>
    public string? StepColumn { get; init; }

    /// <inheritdoc cref="StepColumn"/>
    public string? LossColumn { get; init; }

    /// <inheritdoc cref="StepColumn"/>
    public string? LrColumn { get; init; }

    /// <summary>
    /// A MoE sweep table (Step Law's <c>moe_lr_bs_loss.csv</c>): whether N is the activated or the total parameter count.
    /// Required for such a table (null: an error asking for it); each configuration (<c>moe_name</c>) is its own cell.
    /// </summary>
    public MoeParameterCount? MoeSize { get; init; }

    /// <summary>Which TensorBoard scalar tags are losses and which the learning rate.</summary>
    public TensorBoardTagMap TensorBoardTags { get; init; } = TensorBoardTagMap.Default;

    /// <summary>
    /// W&amp;B exports, text logs, generic CSV/JSONL and the other readers with a <c>resumeConflicts</c> tag: a step logged twice
    /// with different values (a crashed run resumed from its last checkpoint) is an error instead of being resolved in favour of
    /// the trajectory that continued.
    /// </summary>
    public bool StrictDuplicates { get; init; }

    /// <summary>Largest step accepted (anything above is treated as a corrupt value).</summary>
    public long MaxStep { get; init; } = 1_000_000_000;

    /// <param name="baseFolder">Where a table's relative file is (the folder of the run file naming the spec), or null: <see cref="ScheduleFolder"/>, else the current folder.</param>
    internal double[] EvaluateSchedule(string spec, string? baseFolder = null) =>
        ScheduleEvaluator is { } f ? f(spec)
        : ScheduleMemory.Evaluate((baseFolder ?? ScheduleFolder) is { } folder ? LrSchedule.ParseRelativeTo(spec, folder) : LrSchedule.Parse(spec));
}
