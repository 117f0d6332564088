using System.Text.Json.Nodes;
using HyperLaws.Cli.Output;
using HyperLaws.Optimum;
using HyperLaws.Runs;

namespace HyperLaws.Cli.Commands.Optimum;

/// <summary>
/// <c>optimum --rule RULE.json --sweep TABLE</c>: a rule fitted on one sweep, applied to another table. Per cell the
/// table's own optimum and the gap of the run nearest the rule's prediction (out-of-sample for the rule), next to
/// Step Law's and DeepSeek's; cells outside the N or D range the rule was fitted on are named as extrapolated.
/// </summary>
internal static class OptimumRuleApplication
{
    public static int Run(CliIo io, string rulePath, SweepTable table, IReadOnlyList<string> sweeps, OptimumOptions options, bool json, Action<string>? progress)
    {
        FittedOptimumRule rule;
        OptimumRuleFile.FittedRange range;
        try
        {
            (rule, range) = OptimumRuleFile.Read(rulePath);
        }
        catch (Exception e) when (e is FormatException or IOException or UnauthorizedAccessException)
        {
            throw new UserInputException($"{rulePath}: {e.Message}");
        }
        var result = UserInputException.Guard(() => OptimumEvaluation.Apply(table, rule, options, progress));
        var outside = result.Cells.Select(c => range.Outside(c.Cell.N, c.Cell.D)).Where(x => x is not null).Select(x => x!).ToList();
        var warnings = outside.Select(x => $"extrapolated: {x} (the rule's cells)").ToList();
        if (json)
        {
            var node = OptimumRenderer.ToJson(result);
            node["appliedRule"] = Path.GetFullPath(rulePath);
            node["sweeps"] = Json.Strings(sweeps);
            node["points"] = table.Points.Count;
            node["warnings"] = Json.Strings(warnings);
            ResultOutput.WriteJson(io, node);
            return 0;
        }
        OptimumRenderer.Print(io, result, $"{rulePath} applied to {table.Points.Count} runs, {table.Cells.Count} cells");
        foreach (string w in warnings) io.Out.WriteLine("warning: " + w);
        return 0;
    }
}
