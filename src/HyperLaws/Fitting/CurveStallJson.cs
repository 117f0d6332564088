using System.Text.Json;
using System.Text.Json.Nodes;

namespace HyperLaws.Fitting;

/// <summary>
/// The JSON of <see cref="CurveStall"/> (LAW.json's "stall", and the CLI's JSON output): an object {"code": "stall", "curve", "tested",
/// "stalled", "points", "fromStep", "toStep", "observedChange", "lawChange", "noise", "critical", "level"} (numbers null when not tested).
/// </summary>
public static class CurveStallJson
{
    /// <summary>One check as a JSON object.</summary>
    public static JsonObject Write(CurveStall s)
    {
        ArgumentNullException.ThrowIfNull(s);
        static JsonNode? Number(double x) => double.IsFinite(x) ? JsonValue.Create(x) : null;
        return new JsonObject
        {
            ["code"] = CurveStall.Code, ["curve"] = s.Curve, ["tested"] = s.Tested, ["stalled"] = s.Stalled, ["points"] = s.Points,
            ["fromStep"] = s.FromStep, ["toStep"] = s.ToStep, ["observedChange"] = Number(s.ObservedChange), ["lawChange"] = Number(s.LawChange),
            ["noise"] = Number(s.Noise), ["critical"] = Number(s.Critical), ["level"] = Number(s.Level),
        };
    }

    /// <summary>The checks as a JSON array.</summary>
    public static JsonArray Write(IReadOnlyList<CurveStall> stalls) => new([.. stalls.Select(s => (JsonNode)Write(s))]);

    /// <summary>Reads an array written by <see cref="Write(IReadOnlyList{CurveStall})"/>.</summary>
    /// <exception cref="FormatException">Not such an array, or a stalled entry without a finite level.</exception>
    public static IReadOnlyList<CurveStall> Read(JsonNode? node)
    {
        if (node is not JsonArray a) throw new FormatException("\"stall\" is not a list.");
        var list = new List<CurveStall>();
        foreach (var e in a)
        {
            if (e is not JsonObject o) throw new FormatException("\"stall\": an entry is not an object.");
            double N(string k) => o[k] is JsonValue v && v.GetValueKind() == JsonValueKind.Number ? v.GetValue<double>() : double.NaN;
            int I(string k) => o[k] is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue(out int i) ? i : throw new FormatException($"\"stall\": \"{k}\" is not a whole number.");
            bool B(string k) => o[k] is JsonValue v && v.TryGetValue(out bool b) ? b : throw new FormatException($"\"stall\": \"{k}\" is not true or false.");
            var s = new CurveStall((string?)o["curve"] ?? "", B("tested"), B("stalled"), I("points"), I("fromStep"), I("toStep"),
                N("observedChange"), N("lawChange"), N("noise"), N("critical"), N("level"));
            if (s.Stalled && !(double.IsFinite(s.Level) && s.Level > 0)) throw new FormatException($"\"stall\": curve '{s.Curve}' is stalled without a positive level.");
            list.Add(s);
        }
        return list;
    }
}
