using System.Globalization;
using System.Text.Json.Nodes;
using static HyperLaws.Platform.JsonFields;

namespace HyperLaws.Laws.Joint;

/// <summary>
/// The LR-axis prior file (data/priors/lr-axis-steplaw.json), version 2 (written; versions 1 and 2 are read):
/// <code>
/// {
///   "format": "hyperlaws-lr-axis-prior", "version": 2,
///   "reference": "steplaw",                       // eta_ref(N, D) = 1.79 N^-0.713 D^0.307, B_ref = 0.58 D^0.571
///   "axis": { "formula": "...", "ratio": x, "curvature": k0, "lnRatioSpread": s, "lnCurvatureSpread": s,
///             "ratioLow": lo, "ratioHigh": hi, "cells": n,
///             "curvatureExponent": q, "curvatureTokens": D0 },   // version 2: k(D) = k0 (D/D0)^-q; version 1 has neither (q = 0)
///   "provenance": { ... }                        // free-form: sources, command, date, per-cell fits; not read back
/// }
/// </code>
/// Every number finite; ratio, curvature &gt; 0; spreads &gt;= 0; 0 &lt; ratioLow &lt;= ratio &lt;= ratioHigh; cells a whole number &gt;= 1;
/// |curvatureExponent| &lt;= 5, curvatureTokens &gt; 0.
/// </summary>
public static class LrAxisPriorDocument
{
    /// <summary>The document's "format" field.</summary>
    public const string Format = "hyperlaws-lr-axis-prior";
    /// <summary>The version written (2: the curvature varies with D, k(D) = k0 (D/D0)^-q).</summary>
    public const int Version = 2;

    /// <summary>The first version (one curvature k for every D), still read.</summary>
    public const int VersionOneCurvature = 1;

    /// <summary>The axis' "formula" field: the prior's LR curve around the Step Law reference and how the joint law uses it.</summary>
    public const string Formula = "reference schedule (warmup, cosine): L(eta) = L* (1 + k(D) ln(eta / (ratio eta_ref))^2) near its optimum, k(D) = curvature (D / curvatureTokens)^-curvatureExponent, eta_ref = 1.79 N^-0.713 D^0.307 (Step Law); the joint law's kappa and C are set at a target to reproduce the optimum and the curvature";

    /// <summary>The document of a prior; <paramref name="provenance"/> (may be null) is stored as is.</summary>
    public static JsonObject ToJson(LrAxisPrior prior, JsonObject? provenance = null)
    {
        ArgumentNullException.ThrowIfNull(prior);
        return new JsonObject
        {
            ["format"] = Format,
            ["version"] = Version,
            ["reference"] = LrAxisPrior.ReferenceRule,
            ["axis"] = new JsonObject
            {
                ["formula"] = Formula, ["ratio"] = prior.Ratio, ["curvature"] = prior.Curvature, ["lnRatioSpread"] = prior.LnRatioSpread, ["lnCurvatureSpread"] = prior.LnCurvatureSpread,
                ["ratioLow"] = prior.RatioLow, ["ratioHigh"] = prior.RatioHigh, ["cells"] = prior.Cells,
                ["curvatureExponent"] = prior.CurvatureExponent, ["curvatureTokens"] = prior.CurvatureTokens,
            },
            ["provenance"] = provenance ?? new JsonObject(),
        };
    }

    /// <summary>Parses the prior's text.</summary>
    /// <exception cref="FormatException">Not a valid version-1 or version-2 document; the message says what is wrong.</exception>
    public static LrAxisPrior Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        var o = Root(json);
        if (Str(o, "format") != Format) throw new FormatException($"\"format\" must be \"{Format}\" (is this an LR-axis prior? DIV.json files are divergence models).");
        double version = Num(o, "version");
        if (version != Version && version != VersionOneCurvature)
            throw new FormatException($"unsupported version {version.ToString(CultureInfo.InvariantCulture)} (this build reads versions {VersionOneCurvature} and {Version}).");
        if (Str(o, "reference") != LrAxisPrior.ReferenceRule) throw new FormatException($"\"reference\" must be \"{LrAxisPrior.ReferenceRule}\" (the only reference LR rule this build knows).");
        if (o["axis"] is not JsonObject a) throw new FormatException("missing or non-object \"axis\".");
        double ratio = Num(a, "ratio", "axis."), curvature = Num(a, "curvature", "axis."), lnRatioSpread = Num(a, "lnRatioSpread", "axis.");
        double lnCurvatureSpread = Num(a, "lnCurvatureSpread", "axis."), ratioLow = Num(a, "ratioLow", "axis."), ratioHigh = Num(a, "ratioHigh", "axis.");
        double cells = Num(a, "cells", "axis.");
        if (cells != Math.Floor(cells) || cells < 1 || cells > int.MaxValue) throw new FormatException("\"axis.cells\" must be a whole number >= 1.");
        double exponent = 0, tokens = LrAxisPrior.DefaultCurvatureTokens;
        if (version == Version)
        {
            exponent = Num(a, "curvatureExponent", "axis.");
            tokens = Num(a, "curvatureTokens", "axis.");
        }
        var prior = new LrAxisPrior(ratio, curvature, lnRatioSpread, lnCurvatureSpread, ratioLow, ratioHigh, (int)cells, exponent, tokens);
        try
        {
            prior.Validate();
        }
        catch (ArgumentException e)
        {
            throw new FormatException("\"axis\": " + e.Message);
        }
        return prior;
    }
}
