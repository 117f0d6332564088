using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace HyperLaws.Divergence;

/// <summary>
/// DIV.json, the saved divergence predictor (version 1):
/// <code>
/// {
///   "format": "hyperlaws-divergence", "version": 1,
///   "default": "area" | "classifier",
///   "threshold": { "formula": "...", "A": a, "B": b, "C": c, "D": d, "slope": k,
///                  "nRef": 1e8, "batchTokensRef": 1e6, "warmupRef": 1000 },
///   "classifier": { "features": ["ln_peak_lr", ...], "mean": [...], "scale": [...],
///                   "intercept": w0, "weights": [...] },
///   "training": { ... }     // free-form provenance and held-out metrics; not read back
/// }
/// </code>
/// eta_L = exp(A + B ln(N/nRef) + C ln(batchTokens/batchTokensRef) + D ln(warmup/warmupRef)); a run is
/// predicted to diverge by the area criterion when R = S2/S1 &gt; 1 (see <see cref="LrProfile"/>), by the
/// classifier when P &gt; 0.5 (see <see cref="LogisticClassifier"/>). The reference constants must match this
/// build's (<see cref="ThresholdRule"/>); a file with other references, features, or version is refused.
/// </summary>
public static class DivergenceModelDocument
{
    public const string Format = "hyperlaws-divergence";
    public const int Version = 1;
    public const string Formula = "ln etaL = A + B ln(N/nRef) + C ln(batchTokens/batchTokensRef) + D ln(warmup/warmupRef); diverges when R = S2/S1 > 1, S1 = sum min(eta_t, etaL), S2 = sum max(eta_t - etaL, 0)";

    /// <summary>The document of a model; <paramref name="training"/> (may be null) is stored as is.</summary>
    public static JsonObject ToJson(DivergenceModel model, JsonObject? training = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        var r = model.Rule;
        var c = model.Classifier;
        return new JsonObject
        {
            ["format"] = Format,
            ["version"] = Version,
            ["default"] = Name(model.Default),
            ["threshold"] = new JsonObject
            {
                ["formula"] = Formula, ["A"] = r.A, ["B"] = r.B, ["C"] = r.C, ["D"] = r.D, ["slope"] = r.Slope,
                ["nRef"] = ThresholdRule.NRef, ["batchTokensRef"] = ThresholdRule.BatchRef, ["warmupRef"] = ThresholdRule.WarmupRef,
            },
            ["classifier"] = new JsonObject
            {
                ["features"] = new JsonArray([.. LogisticClassifier.FeatureNames.Select(n => (JsonNode?)JsonValue.Create(n))]),
                ["mean"] = Array(c.Mean), ["scale"] = Array(c.Scale), ["intercept"] = c.Intercept, ["weights"] = Array(c.Weights),
            },
            ["training"] = training ?? new JsonObject(),
        };
    }

    public static string Name(DivergencePredictorKind k) => k == DivergencePredictorKind.Area ? "area" : "classifier";

    /// <summary>Parses DIV.json text.</summary>
    /// <exception cref="FormatException">The text is not a valid version-1 document; the message says what is wrong.</exception>
    public static DivergenceModel Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(json, null, new JsonDocumentOptions { AllowDuplicateProperties = false }); // a key twice is an error, not an exception on first access
        }
        catch (JsonException e)
        {
            throw new FormatException($"not valid JSON ({Platform.JsonErrors.Describe(e)}).");
        }
        if (root is not JsonObject o) throw new FormatException("the top level must be a JSON object.");
        if (Str(o, "format") != Format) throw new FormatException($"\"format\" must be \"{Format}\" (is this a divergence model? LAW.json files are fitted loss laws).");
        double version = Num(o, "version");
        if (version != Version) throw new FormatException($"unsupported version {version.ToString(CultureInfo.InvariantCulture)} (this build reads version {Version}).");
        var kind = Str(o, "default") switch
        {
            "area" => DivergencePredictorKind.Area,
            "classifier" => DivergencePredictorKind.Classifier,
            var s => throw new FormatException($"\"default\" must be \"area\" or \"classifier\", found \"{s}\"."),
        };
        var t = Obj(o, "threshold");
        CheckRef(t, "nRef", ThresholdRule.NRef);
        CheckRef(t, "batchTokensRef", ThresholdRule.BatchRef);
        CheckRef(t, "warmupRef", ThresholdRule.WarmupRef);
        double slope = Num(t, "slope", "threshold.");
        if (!(slope > 0)) throw new FormatException("\"threshold.slope\" must be positive.");
        var rule = new ThresholdRule(Num(t, "A", "threshold."), Num(t, "B", "threshold."), Num(t, "C", "threshold."), Num(t, "D", "threshold."), slope);
        var c = Obj(o, "classifier");
        if (c["features"] is not JsonArray fa || !fa.Select(f => f?.GetValueKind() == JsonValueKind.String ? f.GetValue<string>() : null).SequenceEqual(LogisticClassifier.FeatureNames))
            throw new FormatException($"\"classifier.features\" must be [{string.Join(", ", LogisticClassifier.FeatureNames)}].");
        int p = LogisticClassifier.FeatureNames.Count;
        var scale = Arr(c, "scale", p);
        if (scale.Any(s => !(s > 0))) throw new FormatException("\"classifier.scale\" entries must be positive.");
        var clf = new LogisticClassifier(Arr(c, "mean", p), scale, Num(c, "intercept", "classifier."), Arr(c, "weights", p));
        return new DivergenceModel(rule, clf, kind);
    }

    private static JsonArray Array(double[] xs) => new([.. xs.Select(x => (JsonNode?)JsonValue.Create(x))]);

    private static void CheckRef(JsonObject t, string name, double expected)
    {
        double v = Num(t, name, "threshold.");
        if (v != expected) throw new FormatException($"\"threshold.{name}\" is {v.ToString("R", CultureInfo.InvariantCulture)}, this build uses {expected.ToString("R", CultureInfo.InvariantCulture)}.");
    }

    private static string Str(JsonObject o, string name) =>
        o[name] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : throw new FormatException($"missing or non-string \"{name}\".");

    private static JsonObject Obj(JsonObject o, string name) =>
        o[name] as JsonObject ?? throw new FormatException($"missing or non-object \"{name}\".");

    private static double Num(JsonObject o, string name, string prefix = "")
    {
        if (o[name] is not JsonValue v || v.GetValueKind() != JsonValueKind.Number) throw new FormatException($"missing or non-numeric \"{prefix}{name}\".");
        double x = v.GetValue<double>();
        if (!double.IsFinite(x) || Math.Abs(x) > 1e100) throw new FormatException($"\"{prefix}{name}\" must be finite and within +/-1e100.");
        return x;
    }

    private static double[] Arr(JsonObject o, string name, int length)
    {
        if (o[name] is not JsonArray a || a.Count != length) throw new FormatException($"\"classifier.{name}\" must be an array of {length} numbers.");
        var xs = new double[length];
        for (int i = 0; i < length; i++)
        {
            if (a[i] is not JsonValue v || v.GetValueKind() != JsonValueKind.Number) throw new FormatException($"\"classifier.{name}[{i}]\" is not a number.");
            xs[i] = v.GetValue<double>();
            if (!double.IsFinite(xs[i]) || Math.Abs(xs[i]) > 1e100) throw new FormatException($"\"classifier.{name}[{i}]\" must be finite and within +/-1e100.");
        }
        return xs;
    }
}
