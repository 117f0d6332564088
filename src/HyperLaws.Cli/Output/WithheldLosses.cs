using System.Text.Json.Nodes;
using HyperLaws.Planning;

namespace HyperLaws.Cli.Output;

/// <summary>
/// The losses a command withholds because its law's runs do not support them (<see cref="PredictionSupport.Check"/>), gathered per
/// reason: the first warning of each reason and how many predictions it stands for. Written as structured warnings (JSON "withheld":
/// kind, labels, quantities, count, text) as <c>plan</c> writes its withheld loss, and as one warning line per reason in a table.
/// </summary>
internal sealed class WithheldLosses(PredictionSupport? support, string what)
{
    private readonly List<(PlanWarning First, int Count)> _groups = [];

    /// <summary>What the runs support (null: the runs are unknown, nothing is withheld).</summary>
    public PredictionSupport? Support => support;

    /// <summary>True when <paramref name="loss"/> at <paramref name="step"/> is withheld (recorded); false when supported or the runs are unknown.</summary>
    public bool Withhold(double loss, double step)
    {
        if (support?.Check(loss, step) is not { } w) return false;
        int i = _groups.FindIndex(g => g.First.Labels[1] == w.Labels[1]);
        if (i < 0) _groups.Add((w, 1));
        else _groups[i] = (_groups[i].First, _groups[i].Count + 1);
        return true;
    }

    /// <summary>A withheld loss's cell in a table.</summary>
    public const string NotGiven = "not given";

    /// <summary>
    /// The warning when every one of <paramref name="ranked"/> ranked losses is withheld (<paramref name="hidden"/> of them; null
    /// otherwise): the order is still the law's, but it rests only on losses the runs do not support. <paramref name="items"/> names
    /// them in the possessive ("candidate's"). rank and rank-continuation.
    /// </summary>
    public static string? OrderUnsupported(int ranked, int hidden, string items) => ranked > 0 && hidden == ranked
        ? $"the ORDER IS NOT SUPPORTED: every {items} loss is withheld, so the ranking rests only on losses the runs do not support (the law's order, not a measurement)"
        : null;

    /// <summary>How many predictions were withheld.</summary>
    public int Count => _groups.Sum(g => g.Count);

    /// <summary>One sentence per reason.</summary>
    public IEnumerable<string> Texts => _groups.Select(g => PredictionSupport.Text(g.First, g.Count, what));

    /// <summary>The structured warnings (an empty array when nothing was withheld).</summary>
    public JsonArray ToJson() => new([.. _groups.Select(g =>
    {
        var o = HyperLaws.Cli.Commands.Plan.PlanOutput.Warning(g.First, PredictionSupport.Text(g.First, g.Count, what));
        o["count"] = g.Count;
        return (JsonNode)o;
    })]);
}
