using System.Text.Json;
using System.Text.Json.Nodes;
using HyperLaws.Laws;

namespace HyperLaws.Fitting;

/// <summary>
/// A fitted law as a JSON document (LAW.json): the law's name, its parameters by name, and how it was
/// fitted. <see cref="Parse"/> checks the law and every parameter, so a hand-edited file gets a clear error.
/// A law fitted across model sizes (<see cref="SizedLaw"/>) names its base law in "law" and adds
/// "acrossSizes": {"referenceSize", "scaling": "power"|"shared", "offsetExponent": a number, or null when fitted}.
/// </summary>
public sealed record FittedLawDocument(string Law, IReadOnlyDictionary<string, double> Parameters, double Objective, bool Converged, string StopReason, IReadOnlyList<string> Runs)
{
    public const int FormatVersion = 1;

    /// <summary>How the law depends on the model size when it was fitted across sizes; null for a law of one size.</summary>
    public SizeLawSpec? AcrossSizes { get; init; }

    public static FittedLawDocument From(LawFit fit, IEnumerable<string> runs) => new(
        fit.Law is SizedLaw sized ? sized.Base.Name : fit.Law.Name,
        fit.Law.ParameterNames.Select((n, i) => (n, i)).ToDictionary(x => x.n, x => fit.Parameters[x.i]),
        fit.Objective, fit.Converged, fit.StopReason, runs.ToArray())
    {
        AcrossSizes = (fit.Law as SizedLaw)?.Spec,
    };

    /// <summary>The law object (a <see cref="SizedLaw"/> when fitted across sizes) and the parameter vector in its order.</summary>
    public (IFittableLaw Law, double[] Parameters) Instantiate()
    {
        var law = LawCatalog.Create(Law);
        if (AcrossSizes is { } spec) law = SizedLaw.Create(law, spec);
        var p = new double[law.ParameterNames.Count];
        for (int i = 0; i < p.Length; i++)
        {
            string name = law.ParameterNames[i];
            if (!Parameters.TryGetValue(name, out double v)) throw new ArgumentException($"law '{Law}' needs parameter '{name}'.");
            if (!double.IsFinite(v)) throw new ArgumentException($"parameter '{name}' is not finite.");
            p[i] = v;
        }
        return (law, p);
    }

    public string ToJson()
    {
        var parameters = new JsonObject();
        foreach (var (k, v) in Parameters) parameters[k] = v;
        var node = new JsonObject
        {
            ["format"] = "hyperlaws-law",
            ["version"] = FormatVersion,
            ["law"] = Law,
            ["parameters"] = parameters,
            ["objective"] = double.IsFinite(Objective) ? Objective : null,
            ["converged"] = Converged,
            ["stopReason"] = StopReason,
            ["runs"] = new JsonArray([.. Runs.Select(r => (JsonNode?)JsonValue.Create(r))]),
        };
        if (AcrossSizes is { } spec)
        {
            node["acrossSizes"] = new JsonObject
            {
                ["referenceSize"] = spec.ReferenceSize,
                ["scaling"] = spec.Scaling == SizeScaling.Shared ? "shared" : "power",
                ["offsetExponent"] = spec.OffsetExponent,
            };
        }
        return node.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    /// <summary>Reads a document; throws <see cref="FormatException"/> saying what is wrong.</summary>
    public static FittedLawDocument Parse(string json)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(json);
        }
        catch (JsonException e)
        {
            throw new FormatException($"not valid JSON ({e.Message}).");
        }
        try
        {
            return Read(root);
        }
        catch (InvalidOperationException e)
        {
            // A field of the wrong JSON type (e.g. "law": 5) fails its typed read.
            throw new FormatException($"a field has the wrong type ({e.Message}).");
        }
    }

    private static FittedLawDocument Read(JsonNode? root)
    {
        if (root is not JsonObject o || (string?)o["format"] != "hyperlaws-law")
            throw new FormatException("not a hyperlaws law file (expected \"format\": \"hyperlaws-law\").");
        string law = (string?)o["law"] ?? throw new FormatException("missing \"law\".");
        if (o["parameters"] is not JsonObject ps) throw new FormatException("missing \"parameters\" object.");
        var parameters = new Dictionary<string, double>();
        foreach (var (k, v) in ps)
        {
            if (v is not JsonValue jv || !jv.TryGetValue(out double d)) throw new FormatException($"parameter '{k}' is not a number.");
            parameters[k] = d;
        }
        var runs = o["runs"] is JsonArray a ? a.Select(x => (string?)x ?? "").ToArray() : [];
        var doc = new FittedLawDocument(law, parameters, (double?)o["objective"] ?? double.NaN, (bool?)o["converged"] ?? false, (string?)o["stopReason"] ?? "", runs)
        {
            AcrossSizes = o["acrossSizes"] is null ? null : ReadSizeLaw(o["acrossSizes"]),
        };
        try
        {
            doc.Instantiate();
        }
        catch (ArgumentException e)
        {
            throw new FormatException(e.Message);
        }
        return doc;
    }

    private static SizeLawSpec ReadSizeLaw(JsonNode? node)
    {
        if (node is not JsonObject a) throw new FormatException("\"acrossSizes\" must be an object.");
        double reference = (double?)a["referenceSize"] ?? throw new FormatException("\"acrossSizes\" needs \"referenceSize\" (the model size N_ref of the base parameters).");
        var scaling = (string?)a["scaling"] switch
        {
            "power" => SizeScaling.PowerLaw,
            "shared" => SizeScaling.Shared,
            var other => throw new FormatException($"\"acrossSizes\".\"scaling\" must be \"power\" or \"shared\", not {(other is null ? "missing" : $"'{other}'")}."),
        };
        if (!a.ContainsKey("offsetExponent")) throw new FormatException("\"acrossSizes\" needs \"offsetExponent\" (a number, or null when it is fitted).");
        var spec = new SizeLawSpec(reference, scaling, (double?)a["offsetExponent"]);
        try
        {
            spec.Validate();
        }
        catch (ArgumentException e)
        {
            throw new FormatException("\"acrossSizes\": " + e.Message);
        }
        return spec;
    }
}
