using System.Text.Json.Nodes;

namespace HyperLaws.Fitting;

/// <summary>
/// The JSON of unidentified terms (LAW.json's "unidentified", and the CLI's JSON output): a list of objects {"term", "parameters"
/// (names), "reason", "remedy", "prior" (a string, or null when the parameters were left free)}.
/// </summary>
public static class IdentificationJson
{
    /// <summary>The terms as a JSON array.</summary>
    public static JsonArray Write(IReadOnlyList<UnidentifiedTerm> terms) => new([.. terms.Select(t => (JsonNode)new JsonObject
    {
        ["law"] = t.Law,
        ["term"] = t.Term,
        ["parameters"] = new JsonArray([.. t.Parameters.Select(n => (JsonNode)JsonValue.Create(n)!)]),
        ["reason"] = t.Reason,
        ["remedy"] = t.Remedy,
        ["prior"] = t.Prior,
    })]);

    /// <summary>Reads the array written by <see cref="Write"/>; a missing "law" is <paramref name="law"/>.</summary>
    /// <exception cref="FormatException">Not an array of such objects; the message says what is wrong.</exception>
    public static IReadOnlyList<UnidentifiedTerm> Read(JsonNode? node, string law)
    {
        if (node is not JsonArray a) throw new FormatException("\"unidentified\" is not a list.");
        var terms = new List<UnidentifiedTerm>();
        foreach (var e in a)
        {
            if (e is not JsonObject o) throw new FormatException("\"unidentified\": an entry is not an object.");
            string Text(string key) => o[key] is JsonValue v && v.TryGetValue(out string? s) ? s : throw new FormatException($"\"unidentified\": an entry has no \"{key}\" text.");
            var names = o["parameters"] is JsonArray ps ? ps.Select(x => x is JsonValue v && v.TryGetValue(out string? n) ? n : throw new FormatException("\"unidentified\": a parameter name is not text.")).ToList()
                : throw new FormatException("\"unidentified\": an entry has no \"parameters\" list.");
            string? prior = o["prior"] is null ? null : Text("prior");
            terms.Add(new UnidentifiedTerm(o["law"] is null ? law : Text("law"), Text("term"), names, Text("reason"), Text("remedy"), prior));
        }
        return terms;
    }
}
