using static HyperLaws.Schedules.ScheduleChecks;

namespace HyperLaws.Schedules;

/// <summary>
/// <c>continued(previous=&lt;schedule&gt;, next=&lt;schedule&gt;, rewarmFrom=zero|current)</c>: continual training or
/// fine-tuning. The history is previous's P steps followed by next's steps (S = P + S_next), because laws
/// need the whole LR history: eta_t = previous_t for t &lt;= P, next_(t - P) after. With rewarmFrom=current,
/// next's warmup starts from previous's final LR instead of its own warmupInit (next must be a family with a warmup).
/// A plain LR array as previous is a <c>table(values=[...])</c>.
/// </summary>
public sealed record ContinuedSchedule : LrSchedule
{
    /// <summary>The schedule <paramref name="previous"/> then <paramref name="next"/>, next's warmup starting at 0 or at previous's final LR (<paramref name="rewarmFrom"/>).</summary>
    /// <exception cref="ArgumentException">Too many steps in all, or rewarmFrom=current with a next that has no warmup.</exception>
    public ContinuedSchedule(LrSchedule previous, LrSchedule next, RewarmFrom rewarmFrom = RewarmFrom.Zero)
    {
        ArgumentNullException.ThrowIfNull(previous);
        ArgumentNullException.ThrowIfNull(next);
        if ((long)previous.Steps + next.Steps > MaxSteps)
            throw Fail(ScheduleFamily.Continued.Name, "next", $"must keep the total steps <= {MaxSteps}", $"{previous.Steps} + {next.Steps}");
        if (!Enum.IsDefined(rewarmFrom)) throw Fail(ScheduleFamily.Continued.Name, "rewarmFrom", "must be zero or current", rewarmFrom.ToString());
        if (rewarmFrom == RewarmFrom.Current && next is not WarmupSchedule { Warmup: > 0 })
            throw Fail(ScheduleFamily.Continued.Name, "rewarmFrom", "=current needs 'next' to be a family with warmup > 0", next.ToSpec());
        Previous = previous;
        Next = next;
        RewarmFrom = rewarmFrom;
    }

    /// <summary>A continuation of a logged LR history.</summary>
    public ContinuedSchedule(IReadOnlyList<double> previous, LrSchedule next, RewarmFrom rewarmFrom = RewarmFrom.Zero)
        : this(new TableSchedule(previous), next, rewarmFrom) { }

    /// <summary>The schedule already run.</summary>
    public LrSchedule Previous { get; }

    /// <summary>The schedule that follows it.</summary>
    public LrSchedule Next { get; }

    /// <summary>Where next's warmup starts.</summary>
    public RewarmFrom RewarmFrom { get; }

    /// <inheritdoc/>
    public override int Steps => Previous.Steps + Next.Steps;

    /// <inheritdoc/>
    public override ScheduleFamily Family => ScheduleFamily.Continued;

    internal override double AtCore(int step)
    {
        int p = Previous.Steps;
        if (step <= p) return Previous.AtCore(step);
        return RewarmFrom == RewarmFrom.Current
            ? ((WarmupSchedule)Next).ValueAt(step - p, Previous.AtCore(p))
            : Next.AtCore(step - p);
    }

    internal override void EvaluateCore(Span<double> destination)
    {
        int p = Previous.Steps;
        Previous.EvaluateCore(destination[..p]);
        if (RewarmFrom == RewarmFrom.Current) ((WarmupSchedule)Next).Fill(destination[p..], destination[p - 1]);
        else Next.EvaluateCore(destination[p..]);
    }

    internal override SpecNode ToNode()
    {
        var fields = new List<KeyValuePair<string, SpecValue>>
        {
            new("previous", new SpecValue.Nested(Previous.ToNode())),
            new("next", new SpecValue.Nested(Next.ToNode())),
        };
        if (RewarmFrom != RewarmFrom.Zero) fields.Add(new("rewarmFrom", SpecValue.Word(Name(RewarmFrom))));
        return new SpecNode(Family.Name, fields);
    }
}
