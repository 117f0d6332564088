using System.Globalization;
using System.Text.Json.Nodes;
using static HyperLaws.Platform.JsonFields;

namespace HyperLaws.Divergence;

/// <summary>
/// DIV.json, the saved divergence model (version 2):
/// <code>
/// {
///   "format": "hyperlaws-divergence", "version": 2,
///   "boundary": { "formula": "...", "A": a, "B": b, "C": c, "E": e, "W": w, "slope": k, ["G": g,]
///                 "nRef": 1e8, "batchTokensRef": 1e6, "tokensRef": 1e10, "warmupRef": 1000 },
///   "training": { ... }     // free-form provenance and held-out metrics; not read back
/// }
/// </code>
/// ln eta_crit = A + B ln(N/nRef) + C ln(batchTokens/batchTokensRef) + E ln(tokens/tokensRef) + W ln(warmup/warmupRef)
/// [+ G ln(batchTokens/batchTokensRef)^2: optional, written only when not 0, read as 0 when absent, so files written before it
/// read the same]; a run diverges when its peak LR exceeds eta_crit, with P(diverge) = sigmoid(k ln(peak/eta_crit))
/// (<see cref="CriticalLrRule"/>). The reference constants must match this build's; a file with other
/// references or another version is refused. Version 1 (the area criterion and a 6-feature classifier,
/// written before the boundary moved onto the peak-LR axis) is refused with a message saying how to refit.
/// </summary>
public static class DivergenceModelDocument
{
    /// <summary>The "format" value that identifies a DIV.json.</summary>
    public const string Format = "hyperlaws-divergence";
    /// <summary>The document version this build writes and reads.</summary>
    public const int Version = 2;
    /// <summary>The boundary's formula, written into the document for readers (not read back).</summary>
    public const string Formula = "ln eta_crit = A + B ln(N/nRef) + C ln(batchTokens/batchTokensRef) + E ln(tokens/tokensRef) + W ln(warmup/warmupRef) [+ G ln(batchTokens/batchTokensRef)^2 when G is given]; diverges when peak LR > eta_crit; P(diverge) = 1/(1 + exp(-slope ln(peak/eta_crit)))";

    /// <summary>The document of a model; <paramref name="training"/> (may be null) is stored as is.</summary>
    public static JsonObject ToJson(DivergenceModel model, JsonObject? training = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        var r = model.Rule;
        var boundary = new JsonObject
        {
            ["formula"] = Formula, ["A"] = r.A, ["B"] = r.B, ["C"] = r.C, ["E"] = r.E, ["W"] = r.W, ["slope"] = r.Slope,
            ["nRef"] = CriticalLrRule.NRef, ["batchTokensRef"] = CriticalLrRule.BatchRef, ["tokensRef"] = CriticalLrRule.TokensRef, ["warmupRef"] = CriticalLrRule.WarmupRef,
        };
        if (r.G != 0) boundary["G"] = r.G;
        return new JsonObject
        {
            ["format"] = Format,
            ["version"] = Version,
            ["boundary"] = boundary,
            ["training"] = training ?? new JsonObject(),
        };
    }

    /// <summary>Parses DIV.json text.</summary>
    /// <exception cref="FormatException">The text is not a valid version-2 document; the message says what is wrong (a version-1
    /// document: <see cref="RetiredDivergenceModelException"/>).</exception>
    public static DivergenceModel Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        var o = Root(json);
        if (Str(o, "format") != Format) throw new FormatException($"\"format\" must be \"{Format}\" (is this a divergence model? LAW.json files are fitted loss laws).");
        double version = Num(o, "version");
        if (version == 1) throw new RetiredDivergenceModelException(version);
        if (version != Version) throw new FormatException($"unsupported version {version.ToString(CultureInfo.InvariantCulture)} (this build reads version {Version}).");
        var t = Obj(o, "boundary");
        CheckRef(t, "nRef", CriticalLrRule.NRef);
        CheckRef(t, "batchTokensRef", CriticalLrRule.BatchRef);
        CheckRef(t, "tokensRef", CriticalLrRule.TokensRef);
        CheckRef(t, "warmupRef", CriticalLrRule.WarmupRef);
        double slope = Num(t, "slope", "boundary.");
        if (!(slope > 0)) throw new FormatException("\"boundary.slope\" must be positive.");
        double g = t.ContainsKey("G") ? Num(t, "G", "boundary.") : 0;
        return new DivergenceModel(new CriticalLrRule(Num(t, "A", "boundary."), Num(t, "B", "boundary."), Num(t, "C", "boundary."), Num(t, "E", "boundary."), Num(t, "W", "boundary."), slope) { G = g });
    }

    private static void CheckRef(JsonObject t, string name, double expected)
    {
        double v = Num(t, name, "boundary.");
        if (v != expected) throw new FormatException($"\"boundary.{name}\" is {v.ToString("R", CultureInfo.InvariantCulture)}, this build uses {expected.ToString("R", CultureInfo.InvariantCulture)}.");
    }
}
