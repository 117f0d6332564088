using System.Diagnostics.CodeAnalysis;

namespace HyperLaws.Schedules;

/// <summary>
/// The family of an LR schedule, by its canonical name: the name a schedule spec starts with
/// (<c>wsd(peak=...)</c>), the <c>"family"</c> of its JSON form, and the text <see cref="ToString"/> writes.
/// One instance per family, so <c>==</c> compares families.
/// </summary>
public sealed class ScheduleFamily
{
    /// <summary>Constant after the warmup.</summary>
    public static readonly ScheduleFamily Constant = new("constant");

    /// <summary>Linear decay from the peak to a floor.</summary>
    public static readonly ScheduleFamily Linear = new("linear");

    /// <summary>Half-cosine decay from the peak to a floor.</summary>
    public static readonly ScheduleFamily Cosine = new("cosine");

    /// <summary>Warmup-stable-decay: constant, then a cooldown of a chosen shape to a floor.</summary>
    public static readonly ScheduleFamily Wsd = new("wsd");

    /// <summary>Piecewise constant, stepping down at milestones.</summary>
    public static readonly ScheduleFamily MultiStep = new("multistep");

    /// <summary>Inverse square root decay.</summary>
    public static readonly ScheduleFamily InvSqrt = new("invsqrt");

    /// <summary>Warmup, decay, stable phase and cooldown.</summary>
    public static readonly ScheduleFamily FourPhase = new("fourphase");

    /// <summary>Explicit per-step values (a list or a file).</summary>
    public static readonly ScheduleFamily Table = new("table");

    /// <summary>One schedule continued by another (a re-warmed continuation).</summary>
    public static readonly ScheduleFamily Continued = new("continued");

    private ScheduleFamily(string name) => Name = name;

    /// <summary>Every family, in the order error messages list them.</summary>
    public static IReadOnlyList<ScheduleFamily> All { get; } = [Constant, Linear, Cosine, Wsd, MultiStep, InvSqrt, FourPhase, Table, Continued];

    /// <summary>The canonical name, lower case (e.g. <c>wsd</c>).</summary>
    public string Name { get; }

    /// <summary>The family whose canonical name is exactly <paramref name="name"/> (ordinal, case-sensitive).</summary>
    public static bool TryParse(string? name, [NotNullWhen(true)] out ScheduleFamily? family)
    {
        family = All.FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.Ordinal));
        return family is not null;
    }

    /// <inheritdoc cref="Name"/>
    public override string ToString() => Name;
}
