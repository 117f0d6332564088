using System.Text.Json;
using System.Text.Json.Nodes;

namespace HyperLaws.Platform;

/// <summary>
/// The checked reads the versioned JSON documents share (DIV.json, the LR-axis prior): the top-level object and its
/// typed fields, each failure a <see cref="FormatException"/> with a one-line message naming the field.
/// </summary>
internal static class JsonFields
{
    /// <summary>Largest magnitude accepted for a number field: far above any parameter, far below overflow in the formulas.</summary>
    public const double MaxMagnitude = 1e100;

    /// <summary>Parses <paramref name="json"/> into its top-level object; a key given twice is an error, not an exception on first access.</summary>
    /// <exception cref="FormatException">Not valid JSON, or the top level is not an object.</exception>
    public static JsonObject Root(string json)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(json, null, new JsonDocumentOptions { AllowDuplicateProperties = false });
        }
        catch (JsonException e)
        {
            throw new FormatException($"not valid JSON ({JsonErrors.Describe(e)}).");
        }
        return root as JsonObject ?? throw new FormatException("the top level must be a JSON object.");
    }

    /// <summary>The string field <paramref name="name"/> of <paramref name="o"/>.</summary>
    /// <exception cref="FormatException">Missing or not a string.</exception>
    public static string Str(JsonObject o, string name) =>
        o[name] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : throw new FormatException($"missing or non-string \"{name}\".");

    /// <summary>The object field <paramref name="name"/> of <paramref name="o"/>.</summary>
    /// <exception cref="FormatException">Missing or not an object.</exception>
    public static JsonObject Obj(JsonObject o, string name) =>
        o[name] as JsonObject ?? throw new FormatException($"missing or non-object \"{name}\".");

    /// <summary>The number field <paramref name="name"/> of <paramref name="o"/>: finite and within +/-<see cref="MaxMagnitude"/>.</summary>
    /// <param name="o">The object holding the field.</param>
    /// <param name="name">The field's key.</param>
    /// <param name="prefix">The path of <paramref name="o"/> in the document (e.g. "boundary."), for the message.</param>
    /// <exception cref="FormatException">Missing, not a number, not finite or out of range.</exception>
    public static double Num(JsonObject o, string name, string prefix = "")
    {
        if (o[name] is not JsonValue v || v.GetValueKind() != JsonValueKind.Number) throw new FormatException($"missing or non-numeric \"{prefix}{name}\".");
        double x = v.GetValue<double>();
        if (!double.IsFinite(x) || Math.Abs(x) > MaxMagnitude) throw new FormatException($"\"{prefix}{name}\" must be finite and within +/-1e100.");
        return x;
    }
}
