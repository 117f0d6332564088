using HyperLaws.Cli.Output;
using HyperLaws.Validation;
using Spectre.Console;

namespace HyperLaws.Cli.Commands.Demo;

/// <summary>The demo's console output: the section rules, the held-out tables and verdicts, the LMO verdict. Rules and tables are left out with --quiet.</summary>
internal static class DemoRenderer
{
    public static void HeldOutRule(IAnsiConsole console, bool quiet)
    {
        if (!quiet) console.Write(new Rule("[bold]1. Schedule-to-loss laws on held-out curves (fit on 3 curves per size, predict the other 6)[/]").LeftJustified());
    }

    public static void HeldOut(CliIo io, IAnsiConsole console, SizeResult result, bool quiet)
    {
        if (!quiet) Compare.CompareRenderer.Print(io, [.. result.Scores.Select(s => (s.Law, s.Score))], $"{result.Size}M: fit on {string.Join(", ", MplSplit.Train)}");
        var best = result.Scores.MinBy(s => s.Score.Summary.PredE)!;
        console.MarkupLine(Markup.Escape($"{result.Size}M: best held-out PredE {best.Law} {Format.Percent(best.Score.Summary.PredE)} (published MPL {Format.Percent(result.Published.PredE)})"));
    }

    public static void LmoRule(IAnsiConsole console, bool quiet)
    {
        if (!quiet) console.Write(new Rule("[bold]2. LMO scaling laws: closed forms vs numerical optimisation, budgets 1e3..1e14[/]").LeftJustified());
    }

    /// <summary>The LMO check's verdict only (the full table is 'hyperlaws verify').</summary>
    public static void LmoVerdict(IAnsiConsole console, int code, string lmoDir) =>
        console.MarkupLine(Markup.Escape(code == 0
            ? $"every fitted exponent of the closed forms and of numerical optimisation matches the theory (table: 'hyperlaws verify'; figures and verify.json in {lmoDir})"
            : $"a closed form disagreed with numerical optimisation: run 'hyperlaws verify' for the table (verify.json in {lmoDir})"));

    public static void PlanRule(IAnsiConsole console, DemoPlanTarget target, bool quiet)
    {
        var largest = target.Largest;
        if (!quiet) console.Write(new Rule("[bold]" + Markup.Escape($"3. Plan: {Format.Count(largest.Parameters)} parameters, 10x the largest shipped run ({largest.Run}: {largest.Steps} steps x {Format.Count(largest.TokensPerStep)} tokens = {Format.Count(largest.Tokens)} tokens)") + "[/]").LeftJustified());
    }
}
