using System.Text.Json;
using System.Text.Json.Nodes;
using HyperLaws.Laws;

namespace HyperLaws.Fitting;

/// <summary>
/// A fitted law as a JSON document (LAW.json): the law's name, its parameters by name, and how it was
/// fitted. <see cref="Parse"/> checks the law and every parameter, so a hand-edited file gets a clear error.
/// An optional "bootstrap" block keeps a bootstrap of the fit (<see cref="BootstrapSamples"/>): scheme,
/// replicates, failed, seed, level, blockLength (only when fixed), samples (per parameter name, one value
/// per fitted replicate) and residualQuantiles; files without it read as before.
/// A law fitted across model sizes (<see cref="SizedLaw"/>) names its base law in "law" and adds
/// "acrossSizes": {"referenceSize", "scaling": "power"|"shared", "offsetExponent": a number, or null when fitted}.
/// </summary>
public sealed record FittedLawDocument(string Law, IReadOnlyDictionary<string, double> Parameters, double Objective, bool Converged, string StopReason, IReadOnlyList<string> Runs)
{
    /// <summary>The LAW.json format version this build writes and reads.</summary>
    public const int FormatVersion = 1;

    /// <summary>
    /// Largest magnitude a stored parameter may have. Fitted laws' parameters are of order 1e-3..1e3 (the
    /// searched logarithms stay within a few hundred); past 1e100 a value is an edit or a corruption, and
    /// products of such values overflow to infinity in the predictions.
    /// </summary>
    public const double MaxParameterMagnitude = 1e100;

    /// <summary>How the law depends on the model size when it was fitted across sizes; null for a law of one size.</summary>
    public SizeLawSpec? AcrossSizes { get; init; }

    /// <summary>The fit's bootstrap, when one was run.</summary>
    public BootstrapSamples? Bootstrap { get; init; }

    /// <summary>
    /// The terms the fitted runs could not identify and the prior each was held at (<see cref="IdentifiedFitter"/>); written as
    /// "unidentified" only when not empty, so that <c>predict</c> and <c>rank</c> can warn. Files without it read as empty.
    /// </summary>
    public IReadOnlyList<UnidentifiedTerm> Unidentified { get; init; } = [];

    /// <summary>
    /// The fitted curves that had stopped improving where the law still falls (<see cref="StallCheck"/>), written as "stall" only when not
    /// empty, so that <c>predict</c> warns and, for a law fitted on one curve, holds its recent level after its last fitted step. Files
    /// without it read as empty.
    /// </summary>
    public IReadOnlyList<CurveStall> Stalls { get; init; } = [];

    /// <summary>
    /// The point budget the fit ran on (<see cref="FitOptions.MaxPointsPerCurve"/>, <c>fit --max-points N</c>: a longer run fitted on N bin
    /// means), written as "maxPointsPerCurve" only when set; null (files without it): every point.
    /// </summary>
    public int? MaxPointsPerCurve { get; init; }

    /// <summary>A fit and its bootstrap.</summary>
    public static FittedLawDocument From(BootstrapResult result, IEnumerable<string> runs) => From(result.Fit, runs) with { Bootstrap = result.Bootstrap };

    /// <summary>Prediction intervals from the bootstrap block; null when the document has none.</summary>
    public PredictionIntervals? Intervals()
    {
        if (Bootstrap is null) return null;
        var (law, p) = Instantiate();
        return new PredictionIntervals(law, p, Bootstrap);
    }

    /// <summary>The document of a fit; a fit with a non-finite parameter did not converge and has none (JSON has no infinity).</summary>
    /// <exception cref="ArgumentException">A parameter is not finite.</exception>
    public static FittedLawDocument From(LawFit fit, IEnumerable<string> runs) => !fit.HasFiniteParameters
        ? throw new ArgumentException($"{fit.Law.Name}: the fit did not converge to finite parameters ({fit.NonFiniteSummary()}).")
        : new(
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
            if (!Parameters.TryGetValue(name, out double v))
            {
                // A joint-law document written before a parameter existed (gamma_eta, delta_eta, the clock's four, ln_p_noise): it reads as 0, the law it was fitted as.
                if (law is Laws.Joint.JointLaw && Laws.Joint.JointLaw.ZeroWhenAbsent.Contains(name)) v = 0;
                else throw new ArgumentException($"law '{Law}' needs parameter '{name}'.");
            }
            if (!double.IsFinite(v)) throw new ArgumentException($"parameter '{name}' is not finite.");
            p[i] = v;
        }
        return (law, p);
    }

    /// <summary>The document as indented JSON text (LAW.json).</summary>
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
        if (Bootstrap is { } b) node["bootstrap"] = BootstrapJson(b, Instantiate().Law.ParameterNames);
        if (Unidentified.Count > 0) node["unidentified"] = IdentificationJson.Write(Unidentified);
        if (Stalls.Count > 0) node["stall"] = CurveStallJson.Write(Stalls);
        if (MaxPointsPerCurve is { } budget) node["maxPointsPerCurve"] = budget;
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
            root = JsonNode.Parse(json, null, new JsonDocumentOptions { AllowDuplicateProperties = false }); // a key twice is an error, not an exception on first access
        }
        catch (JsonException e)
        {
            throw new FormatException($"not valid JSON ({Platform.JsonErrors.Describe(e)}).");
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

    private static int ReadBudget(JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue(out int n) && n >= 2
            ? n : throw new FormatException("\"maxPointsPerCurve\" is not a whole number of at least 2.");

    private static FittedLawDocument Read(JsonNode? root)
    {
        if (root is not JsonObject o || (string?)o["format"] != "hyperlaws-law")
            throw new FormatException("not a hyperlaws law file (expected \"format\": \"hyperlaws-law\").");
        CheckVersion(o["version"]);
        string law = (string?)o["law"] ?? throw new FormatException("missing \"law\".");
        if (o["parameters"] is not JsonObject ps) throw new FormatException("missing \"parameters\" object.");
        var parameters = new Dictionary<string, double>();
        foreach (var (k, v) in ps)
        {
            if (v is not JsonValue jv || jv.GetValueKind() != JsonValueKind.Number || !jv.TryGetValue(out double d)) throw new FormatException($"parameter '{k}' is not a number.");
            if (!double.IsFinite(d) || Math.Abs(d) > MaxParameterMagnitude)
                throw new FormatException($"parameter '{k}' is {d.ToString("G6", System.Globalization.CultureInfo.InvariantCulture)}, outside [-1e100, 1e100].");
            parameters[k] = d;
        }
        var runs = o["runs"] is JsonArray a ? a.Select(x => (string?)x ?? "").ToArray() : [];
        var doc = new FittedLawDocument(law, parameters, (double?)o["objective"] ?? double.NaN, (bool?)o["converged"] ?? false, (string?)o["stopReason"] ?? "", runs)
        {
            AcrossSizes = o["acrossSizes"] is null ? null : ReadSizeLaw(o["acrossSizes"]),
            Unidentified = o["unidentified"] is null ? [] : IdentificationJson.Read(o["unidentified"], law),
            Stalls = o["stall"] is null ? [] : CurveStallJson.Read(o["stall"]),
            MaxPointsPerCurve = o["maxPointsPerCurve"] is null ? null : ReadBudget(o["maxPointsPerCurve"]),
        };
        IFittableLaw fittable;
        double[] values;
        try
        {
            (fittable, values) = doc.Instantiate();
        }
        catch (ArgumentException e)
        {
            throw new FormatException(e.Message);
        }
        // A parameter the law does not have is a misspelt or foreign one (hostile audit: '"Z": 1' was ignored); for the joint
        // law's ZeroWhenAbsent parameters a misspelt name would otherwise read silently as 0.
        if (parameters.Keys.FirstOrDefault(k => !fittable.ParameterNames.Contains(k)) is { } unknown)
            throw new FormatException($"parameter '{unknown}' is not one of {law}'s ({string.Join(", ", fittable.ParameterNames)}).");
        // Both checks read Instantiate's vector, not the file's dictionary: a joint-law file older than a ZeroWhenAbsent parameter
        // lacks that name (indexing the dictionary threw KeyNotFoundException, exit 70 on 'predict --law').
        for (int i = 0; i < fittable.ParameterNames.Count; i++)
            if (fittable.Positive[i] && values[i] < 0)
                throw new FormatException($"parameter '{fittable.ParameterNames[i]}' of {law} must be >= 0 (got {values[i].ToString("G6", System.Globalization.CultureInfo.InvariantCulture)}).");
        // Every parameter 0 is no fitted law (a loss of 0 or no curve at all): refused here, where every law file is read, not by
        // whichever command happens to evaluate it.
        if (fittable.ParameterNames.Count > 0 && values.All(v => v == 0))
            throw new FormatException($"every parameter of {law} is 0 ({string.Join(", ", fittable.ParameterNames)}): not a fitted law (write one with 'hyperlaws fit').");
        if (o["bootstrap"] is null) return doc;
        try
        {
            // A joint-law file written before a parameter of JointLaw.ZeroWhenAbsent existed has no samples of it: a column of zeros, as
            // Instantiate reads its missing value as 0 (the law it was fitted as).
            var bootstrap = ReadBootstrap(o["bootstrap"], fittable.ParameterNames,
                name => fittable is Laws.Joint.JointLaw && Laws.Joint.JointLaw.ZeroWhenAbsent.Contains(name));
            bootstrap.Check(fittable.ParameterNames.Count);
            return doc with { Bootstrap = bootstrap };
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            throw new FormatException($"bootstrap: {e.Message}");
        }
    }

    /// <summary>"version" must be this reader's <see cref="FormatVersion"/>: a newer file is refused, not misread.</summary>
    private static void CheckVersion(JsonNode? node)
    {
        if (node is null) throw new FormatException($"missing \"version\" (this hyperlaws reads version {FormatVersion}).");
        if (node is not JsonValue v || v.GetValueKind() != JsonValueKind.Number || !v.TryGetValue(out double d) || d != Math.Floor(d))
            throw new FormatException("\"version\" is not a whole number.");
        if (d != FormatVersion)
            throw new FormatException($"version {d.ToString("G6", System.Globalization.CultureInfo.InvariantCulture)} is not supported (this hyperlaws reads version {FormatVersion}).");
    }

    private static JsonObject BootstrapJson(BootstrapSamples b, IReadOnlyList<string> names)
    {
        var samples = new JsonObject();
        for (int j = 0; j < names.Count; j++) samples[names[j]] = new JsonArray([.. b.Samples.Select(s => (JsonNode?)JsonValue.Create(s[j]))]);
        var node = new JsonObject
        {
            ["scheme"] = LawBootstrap.SchemeName(b.Scheme),
            ["replicates"] = b.Replicates,
            ["failed"] = b.Failed,
            ["seed"] = b.Seed,
            ["level"] = b.Level,
        };
        if (b.BlockLength is int length) node["blockLength"] = length;
        node["samples"] = samples;
        node["residualQuantiles"] = new JsonArray([.. b.ResidualQuantiles.Select(q => (JsonNode?)JsonValue.Create(q))]);
        return node;
    }

    /// <summary>The bootstrap object; a parameter with no samples is refused unless <paramref name="zeroWhenAbsent"/> holds for it (a column of zeros).</summary>
    private static BootstrapSamples ReadBootstrap(JsonNode? node, IReadOnlyList<string> names, Func<string, bool> zeroWhenAbsent)
    {
        if (node is not JsonObject b) throw new ArgumentException("not an object.");
        var scheme = b["scheme"] is JsonValue sv && sv.TryGetValue(out string? name) ? LawBootstrap.ParseScheme(name)
            : throw new ArgumentException(b["scheme"] is null ? "missing \"scheme\"." : "\"scheme\" is not a string.");
        int replicates = Whole(b, "replicates") ?? throw new ArgumentException("missing \"replicates\".");
        int seed = Whole(b, "seed") ?? throw new ArgumentException("missing \"seed\".");
        double level = b["level"] is null ? throw new ArgumentException("missing \"level\".")
            : b["level"] is JsonValue lv && lv.TryGetValue(out double d) ? d : throw new ArgumentException("\"level\" is not a number.");
        int? blockLength = Whole(b, "blockLength");
        if (b["samples"] is not JsonObject columns) throw new ArgumentException("missing \"samples\" object.");
        foreach (var (k, _) in columns)
            if (!names.Contains(k)) throw new ArgumentException($"samples of '{k}', which the law does not have.");
        var byName = new double[names.Count][];
        int first = -1;
        for (int j = 0; j < names.Count; j++)
        {
            if (columns[names[j]] is not JsonArray column)
            {
                if (!zeroWhenAbsent(names[j])) throw new ArgumentException($"no samples of '{names[j]}'.");
                continue;
            }
            byName[j] = Numbers(column, $"samples of '{names[j]}'");
            if (first < 0) first = j;
            else if (byName[j].Length != byName[first].Length) throw new ArgumentException($"{byName[j].Length} samples of '{names[j]}' but {byName[first].Length} of '{names[first]}'.");
        }
        int count = first < 0 ? 0 : byName[first].Length;
        for (int j = 0; j < names.Count; j++) byName[j] ??= new double[count];
        var samples = Enumerable.Range(0, count).Select(i => byName.Select(c => c[i]).ToArray()).ToArray();
        if (b["residualQuantiles"] is not JsonArray quantiles) throw new ArgumentException("missing \"residualQuantiles\" array.");
        var result = new BootstrapSamples(scheme, replicates, seed, level, samples, Numbers(quantiles, "residualQuantiles")) { BlockLength = blockLength };
        if (Whole(b, "failed") is int failed && failed != result.Failed)
            throw new ArgumentException($"\"failed\" is {failed}, but {replicates} replicates with {count} samples leave {result.Failed}.");
        return result;
    }

    private static int? Whole(JsonObject o, string name)
    {
        var node = o[name];
        if (node is null) return null;
        if (node is JsonValue v && v.TryGetValue(out int i)) return i;
        if (node is JsonValue w && w.TryGetValue(out double d) && d == Math.Floor(d) && d >= int.MinValue && d <= int.MaxValue) return (int)d;
        throw new ArgumentException($"\"{name}\" is not a whole number.");
    }

    private static double[] Numbers(JsonArray array, string what)
    {
        var x = new double[array.Count];
        for (int i = 0; i < x.Length; i++)
            if (array[i] is not JsonValue v || !v.TryGetValue(out x[i])) throw new ArgumentException($"{what}: entry {i + 1} is not a number.");
        return x;
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
