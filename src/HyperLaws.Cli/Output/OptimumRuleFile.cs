using System.Text.Json;
using System.Text.Json.Nodes;
using HyperLaws.Cli.Options;
using HyperLaws.Optimum;

namespace HyperLaws.Cli.Output;

/// <summary>
/// RULE.json: an optimum rule fitted by <c>optimum --save-rule</c>, applied to another table by <c>optimum --rule</c>.
/// Holds the rule's coefficients (ln eta* = a + b ln N + c ln D, ln B*_tokens = d + e ln N + f ln D) and the N and D
/// range of the cells it was fitted on, so that applying it says where it extrapolates.
/// </summary>
public static class OptimumRuleFile
{
    public const string Kind = "hyperlaws-optimum-rule";

    /// <summary>The range of the cells a rule was fitted on.</summary>
    public sealed record FittedRange(double MinN, double MaxN, double MinD, double MaxD)
    {
        /// <summary>Where (N, D) lies outside the range, in words; null inside.</summary>
        public string? Outside(double n, double d)
        {
            var parts = new List<string>();
            if (n < MinN || n > MaxN) parts.Add($"N = {Format.Count(n, 3)} outside [{Format.Count(MinN, 3)}, {Format.Count(MaxN, 3)}]");
            if (d < MinD || d > MaxD) parts.Add($"D = {Format.Count(d, 3)} outside [{Format.Count(MinD, 3)}, {Format.Count(MaxD, 3)}]");
            return parts.Count == 0 ? null : string.Join(", ", parts);
        }
    }

    public static string ToJson(FittedOptimumRule rule, FittedRange range, IEnumerable<string> sources) => Json.Serialize(new JsonObject
    {
        ["kind"] = Kind,
        ["form"] = rule.Form == RuleForm.Full ? "full" : "steplaw",
        ["formula"] = "ln eta* = a + b ln N + c ln D; ln B*_tokens = d + e ln N + f ln D",
        ["a"] = rule.A, ["b"] = rule.B, ["c"] = rule.C, ["d"] = rule.Dc, ["e"] = rule.E, ["f"] = rule.F,
        ["cells"] = rule.Cells,
        ["range"] = new JsonObject { ["minN"] = range.MinN, ["maxN"] = range.MaxN, ["minD"] = range.MinD, ["maxD"] = range.MaxD },
        ["sources"] = Json.Strings(sources),
    });

    /// <summary>Reads RULE.json; a missing, unreadable or malformed file is a <see cref="FormatException"/> or <see cref="IOException"/>.</summary>
    public static (FittedOptimumRule Rule, FittedRange Range) Read(string path)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(DocumentFile.ReadAllText(path), null, new JsonDocumentOptions { AllowDuplicateProperties = false }); // a key twice is an error, not an exception on first access
        }
        catch (JsonException e)
        {
            throw new FormatException($"not JSON ({e.Message}).", e);
        }
        if (node is not JsonObject o || (string?)o["kind"] != Kind)
            throw new FormatException($"not a rule file (expected \"kind\": \"{Kind}\", written by 'hyperlaws optimum --save-rule').");
        double Get(JsonObject parent, string name)
        {
            try
            {
                double v = parent[name]?.GetValue<double>() ?? throw new FormatException($"missing \"{name}\".");
                return double.IsFinite(v) ? v : throw new FormatException($"\"{name}\" is not finite.");
            }
            catch (Exception e) when (e is InvalidOperationException or JsonException)
            {
                throw new FormatException($"\"{name}\" is not a number.", e);
            }
        }
        var form = (string?)o["form"] switch
        {
            "full" => RuleForm.Full,
            "steplaw" => RuleForm.StepLaw,
            var f => throw new FormatException($"unknown form '{f}' (full or steplaw)."),
        };
        var range = o["range"] as JsonObject ?? throw new FormatException("missing \"range\".");
        int cells = (int)Get(o, "cells");
        var rule = new FittedOptimumRule(form, Get(o, "a"), Get(o, "b"), Get(o, "c"), Get(o, "d"), Get(o, "e"), Get(o, "f"), cells);
        return (rule, new FittedRange(Get(range, "minN"), Get(range, "maxN"), Get(range, "minD"), Get(range, "maxD")));
    }
}
