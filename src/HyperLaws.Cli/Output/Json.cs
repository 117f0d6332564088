using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using HyperLaws.Theory;

namespace HyperLaws.Cli.Output;

/// <summary>JSON shapes shared by the commands (camelCase; numbers in round-trip form).</summary>
public static class Json
{
    // Relaxed escaping keeps "+" and ">" readable in warnings; the output is still valid JSON (not for HTML embedding).
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Serialize(JsonNode node) => node.ToJsonString(Indented);

    /// <summary>A finite number, or null (JSON has no NaN or infinity).</summary>
    public static JsonNode? Number(double v) => double.IsFinite(v) ? JsonValue.Create(v) : null;

    public static JsonArray Strings(IEnumerable<string> items) => new([.. items.Select(s => (JsonNode?)JsonValue.Create(s))]);

    /// <summary>Named quantities (of a warning, a reason, a run note) as an object: by name in ordinal order, a value not finite as null.</summary>
    public static JsonObject Quantities(IReadOnlyDictionary<string, double> q)
    {
        ArgumentNullException.ThrowIfNull(q);
        var o = new JsonObject();
        foreach (var (k, v) in q.OrderBy(x => x.Key, StringComparer.Ordinal)) o[k] = Number(v);
        return o;
    }

    public static JsonObject Point(HyperparameterPoint p) => new()
    {
        ["learningRate"] = Number(p.LearningRate),
        ["momentum"] = Number(p.Momentum),
        ["alpha"] = Number(p.Alpha),
        ["batchSize"] = Number(p.BatchSize),
        ["iterations"] = Number(p.Iterations),
        ["proxy"] = Number(p.Proxy),
    };

    public static JsonObject Constants(ProxyConstants c) => new()
    {
        ["C1"] = c.C1, ["C2"] = c.C2, ["C3"] = c.C3, ["ca"] = c.Ca, ["cb"] = c.Cb, ["cc"] = c.Cc, ["cd"] = c.Cd,
        ["largeHorizon"] = c.IsLargeHorizon,
    };

    public static JsonArray Conditions(SolutionConditions c) =>
        Strings(Enum.GetValues<SolutionConditions>().Where(f => f != SolutionConditions.None && c.HasFlag(f)).Select(f => f switch
        {
            SolutionConditions.BurnIn => "burn-in",
            SolutionConditions.AlphaClipped => "alpha-clipped",
            SolutionConditions.BatchCapped => "batch-capped",
            SolutionConditions.FlatRidge => "flat-ridge",
            SolutionConditions.BatchRounded => "batch-rounded",
            _ => f.ToString(),
        }));
}
