using System.Text.Json;
using System.Text.Json.Nodes;
using HyperLaws.Schedules;

namespace HyperLaws.Cli.Output;

/// <summary>
/// plan.json (written by <c>hyperlaws plan --out</c>, <see cref="Commands.Plan.PlanOutput"/>) read back and validated as
/// docs/SCHEMAS.md states: <c>format</c> and <c>version</c> first (another version is refused, never misread), then
/// every documented field's JSON type, the ranges of the request and the hyperparameters, each schedule's spec, and
/// finite predictions. Problems are <see cref="FormatException"/>s of one line naming the field.
/// </summary>
public static class PlanDocument
{
    /// <summary>The value of <c>format</c>.</summary>
    public const string Format = "hyperlaws-plan";

    /// <summary>The only <c>version</c> this build reads (the one <c>plan</c> writes).</summary>
    public const int Version = 2;

    /// <summary>The top-level fields, in the order docs/SCHEMAS.md lists them; every one must be present except <c>lossTrusted</c>
    /// (absent: a plan written before the field, whose reader already required positive losses; read as true) and <c>runNotes</c>
    /// (absent: a plan written before the readers' notes were data).</summary>
    public static readonly IReadOnlyList<string> Fields =
        ["format", "version", "provenance", "request", "hyperparameters", "law", "lossTrusted", "best", "runnerUps", "interval", "intervalMethod", "decisions", "reasons", "warnings", "accuracy", "runs", "runNotes"];

    /// <summary>Largest magnitude of any number in a plan (the same bound as LAW.json's parameters).</summary>
    private const double MaxMagnitude = 1e100;

    /// <summary>Parses and validates <paramref name="json"/>; throws <see cref="FormatException"/> naming the first bad field.</summary>
    public static PlanSummary Parse(string json)
    {
        JsonObject root;
        try
        {
            root = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { MaxDepth = 64 }) as JsonObject ?? throw new FormatException("plan.json: not a JSON object.");
        }
        catch (JsonException e)
        {
            throw new FormatException($"plan.json: not valid JSON ({ErrorText.OneLine(e.Message)}).");
        }
        if (Text(root, "format") != Format) throw new FormatException($"plan.json: field 'format' must be \"{Format}\".");
        if (root["version"] is not JsonValue v || !v.TryGetValue(out double version) || version != Math.Floor(version))
            throw new FormatException("plan.json: field 'version' must be a whole number.");
        if (version != Version) throw new FormatException($"plan.json: version {version} is not the version this build reads ({Version}).");
        foreach (string field in Fields)
            if (!root.ContainsKey(field) && field is not ("lossTrusted" or "runNotes")) throw new FormatException($"plan.json: field '{field}' is missing.");
        if (root["provenance"] is not null and not JsonObject) throw new FormatException("plan.json: field 'provenance' must be an object or null.");

        var request = Object(root, "request");
        double parameters = Positive(request, "request.parameters", "parameters");
        double tokens = Positive(request, "request.tokens", "tokens");
        string optimizer = Text(request, "optimizer") ?? throw Bad("request.optimizer", "a string");
        double sequenceLength = Positive(request, "request.sequenceLength", "sequenceLength");
        double batchMultiple = Positive(request, "request.batchMultiple", "batchMultiple");
        if (sequenceLength != Math.Floor(sequenceLength) || batchMultiple != Math.Floor(batchMultiple))
            throw Bad("request.sequenceLength/batchMultiple", "whole numbers");

        var hp = Object(root, "hyperparameters");
        double batchTokens = Positive(hp, "hyperparameters.batchTokens", "batchTokens");
        Positive(hp, "hyperparameters.batchSequences", "batchSequences");
        double steps = Positive(hp, "hyperparameters.steps", "steps");
        if (OptionalNumber(hp, "hyperparameters.momentum", "momentum") is { } m && !(m >= 0 && m < 1)) throw Bad("hyperparameters.momentum", "in [0, 1)");
        if (OptionalNumber(hp, "hyperparameters.ruleLearningRate", "ruleLearningRate") is { } lr && !(lr > 0)) throw Bad("hyperparameters.ruleLearningRate", "positive");
        _ = Text(hp, "source") ?? throw Bad("hyperparameters.source", "a string");
        _ = Text(hp, "sourceName") ?? throw Bad("hyperparameters.sourceName", "a string");

        string law = Text(root, "law") ?? throw Bad("law", "a string");
        // lossTrusted is false exactly when the plan carries a LossNotPhysical warning; only then may a predicted loss be <= 0.
        bool trusted = true;
        if (root.ContainsKey("lossTrusted"))
        {
            if (root["lossTrusted"] is not JsonValue t || t.GetValueKind() is not (JsonValueKind.True or JsonValueKind.False)) throw Bad("lossTrusted", "true or false");
            trusted = t.GetValueKind() == JsonValueKind.True;
        }
        bool flagged = root["warnings"] is JsonArray ws && ws.Any(w => w is JsonObject wo && Text(wo, "kind") == "LossNotPhysical");
        if (trusted == flagged) throw Bad("lossTrusted", "false exactly when warnings[] holds a LossNotPhysical warning");
        var (best, predicted) = Schedule(Object(root, "best"), "best", trusted);
        var runnerUps = Array(root, "runnerUps");
        for (int i = 0; i < runnerUps.Count; i++)
            Schedule(runnerUps[i] as JsonObject ?? throw Bad($"runnerUps[{i}]", "an object"), $"runnerUps[{i}]", trusted);
        Object(root, "interval");
        Object(root, "decisions");
        _ = Text(root, "intervalMethod") ?? throw Bad("intervalMethod", "a string");
        foreach (string list in new[] { "reasons", "warnings", "accuracy" })
        {
            var items = Array(root, list);
            for (int i = 0; i < items.Count; i++)
                if (items[i] is not JsonObject) throw Bad($"{list}[{i}]", "an object");
        }
        var runs = Array(root, "runs");
        for (int i = 0; i < runs.Count; i++)
            if (runs[i] is not JsonValue r || r.GetValueKind() != JsonValueKind.String) throw Bad($"runs[{i}]", "a string");
        if (root.ContainsKey("runNotes"))
        {
            var notes = Array(root, "runNotes");
            for (int i = 0; i < notes.Count; i++)
                if (notes[i] is not JsonObject n || Text(n, "kind") is null || Text(n, "run") is null || Text(n, "text") is null)
                    throw Bad($"runNotes[{i}]", "an object with a kind, a run and a text");
        }
        return new PlanSummary(parameters, tokens, optimizer, law, batchTokens, steps, best, predicted, runnerUps.Count);
    }

    /// <summary>A schedule object: its spec parses and matches its steps and peak; the prediction and interval are finite.</summary>
    private static (string Spec, double? Predicted) Schedule(JsonObject o, string at, bool trusted)
    {
        string spec = Text(o, "schedule") ?? throw Bad($"{at}.schedule", "a schedule spec");
        LrSchedule parsed;
        try
        {
            parsed = LrSchedule.Parse(spec);
        }
        catch (Exception e) when (e is FormatException or ArgumentException or IOException)
        {
            throw new FormatException($"plan.json: field '{at}.schedule': {ErrorText.OneLine(e.Message)}");
        }
        _ = Text(o, "family") ?? throw Bad($"{at}.family", "a string");
        double steps = Positive(o, $"{at}.steps", "steps");
        if (steps != parsed.Steps) throw Bad($"{at}.steps", $"the schedule's length ({parsed.Steps})");
        if (OptionalNumber(o, $"{at}.peak", "peak") is { } peak && !(peak > 0)) throw Bad($"{at}.peak", "positive");
        if (OptionalNumber(o, $"{at}.warmup", "warmup") is { } warmup && !(warmup >= 0 && warmup <= steps)) throw Bad($"{at}.warmup", "in [0, steps]");
        if (OptionalNumber(o, $"{at}.cooldown", "cooldown") is { } cooldown && !(cooldown >= 0 && cooldown <= steps)) throw Bad($"{at}.cooldown", "in [0, steps]");
        double? predicted = OptionalNumber(o, $"{at}.predictedLoss", "predictedLoss");
        if (trusted && predicted is { } loss && !(loss > 0)) throw Bad($"{at}.predictedLoss", "a positive loss (or lossTrusted false)");
        if (o["interval"] is JsonObject interval)
        {
            double? lower = OptionalNumber(interval, $"{at}.interval.lower", "lower"), upper = OptionalNumber(interval, $"{at}.interval.upper", "upper");
            if (lower is { } lo && upper is { } hi && !(lo <= hi)) throw Bad($"{at}.interval", "lower <= upper");
        }
        else if (o["interval"] is not null)
        {
            throw Bad($"{at}.interval", "an object or null");
        }
        if (o["diverges"] is not JsonValue d || d.GetValueKind() is not (JsonValueKind.True or JsonValueKind.False)) throw Bad($"{at}.diverges", "true or false");
        if (OptionalNumber(o, $"{at}.divergenceProbability", "divergenceProbability") is { } p && !(p >= 0 && p <= 1)) throw Bad($"{at}.divergenceProbability", "in [0, 1]");
        return (spec, predicted);
    }

    private static FormatException Bad(string field, string what) => new($"plan.json: field '{field}' must be {what}.");

    private static JsonObject Object(JsonObject o, string name) => o[name] as JsonObject ?? throw Bad(name, "an object");

    private static JsonArray Array(JsonObject o, string name) => o[name] as JsonArray ?? throw Bad(name, "an array");

    private static string? Text(JsonObject o, string name) =>
        o[name] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;

    /// <summary>A number or null; a number must be finite with |x| at most 1e100.</summary>
    private static double? OptionalNumber(JsonObject o, string field, string name)
    {
        var node = o[name];
        if (node is null) return null;
        if (node is not JsonValue v || v.GetValueKind() != JsonValueKind.Number || !v.TryGetValue(out double x)) throw Bad(field, "a number or null");
        if (!double.IsFinite(x) || Math.Abs(x) > MaxMagnitude) throw Bad(field, "finite, at most 1e100 in magnitude");
        return x;
    }

    private static double Positive(JsonObject o, string field, string name) =>
        OptionalNumber(o, field, name) is { } x && x > 0 ? x : throw Bad(field, "a positive number");
}
