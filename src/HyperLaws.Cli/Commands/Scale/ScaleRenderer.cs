using System.Text.Json.Nodes;
using HyperLaws.Cli.Output;
using HyperLaws.Theory;
using Spectre.Console;

namespace HyperLaws.Cli.Commands.Scale;

/// <summary>A scaling solution as a console table (closed form beside numerical) or one JSON object.</summary>
internal static class ScaleRenderer
{
    public static void Write(CliIo io, ScaleResult result, bool json)
    {
        ResultOutput.Write(io, json, () => ToJson(result.Solution, result.Optimizer, result.Rho), () => Print(io, result.Solution, result.Optimizer, result.Rho));
    }

    public static JsonObject ToJson(ScalingSolution s, LmoOptimizer optimizer, double rho)
    {
        var p = s.Recommended;
        return new JsonObject
        {
            ["regime"] = Names.Of(s.Problem.Regime),
            ["tokens"] = Json.Number(p.Tokens),
            ["iterations"] = Json.Number(p.Iterations),
            ["learningRate"] = Json.Number(p.LearningRate),
            ["momentum"] = Json.Number(p.Momentum),
            ["alpha"] = Json.Number(p.Alpha),
            ["batchSize"] = Json.Number(p.BatchSize),
            ["proxy"] = Json.Number(p.Proxy),
            ["valid"] = s.Valid,
            ["warnings"] = Json.Strings(s.Warnings),
            ["recommended"] = ReferenceEquals(p, s.ClosedForm) ? "closed-form" : "numerical",
            ["closedForm"] = Json.Point(s.ClosedForm),
            ["numerical"] = Json.Point(s.Numerical),
            ["closedFormExact"] = s.ClosedFormExact,
            ["proxyGap"] = Json.Number(s.ProxyGap),
            ["argumentGap"] = Json.Number(s.ArgumentGap),
            ["numericalEvaluations"] = s.NumericalEvaluations,
            ["conditions"] = Json.Conditions(s.Conditions),
            ["criticalRatio"] = Json.Number(new LmoProxy(s.Constants).CriticalRatio(p.Tokens)),
            ["optimizer"] = Names.Of(optimizer),
            ["rho"] = Json.Number(rho),
            ["constants"] = Json.Constants(s.Constants),
        };
    }

    private static void Print(CliIo io, ScalingSolution s, LmoOptimizer optimizer, double rho)
    {
        var console = io.Table();
        var rec = s.Recommended;
        console.MarkupLine($"[bold]{Names.Of(s.Problem.Regime)}[/] ({Markup.Escape(RegimeOption.Describe(s.Problem.Regime))}), budget T = {Format.Count(rec.Tokens)}, optimizer {Names.Of(optimizer)}, rho = {Format.G(rho)}{(s.Constants.IsLargeHorizon ? ", large-horizon proxy" : "")}");
        var table = new Table().Border(TableBorder.Rounded)
            .AddColumn("quantity").AddColumn(new TableColumn("closed form").RightAligned()).AddColumn(new TableColumn("numerical").RightAligned());
        void Row(string name, Func<HyperparameterPoint, string> f) => table.AddRow(name, f(s.ClosedForm), f(s.Numerical));
        Row("learning rate eta", p => Format.G(p.LearningRate));
        Row("momentum beta", p => Format.Beta(p.Momentum));
        Row("alpha = 1 - beta", p => Format.G(p.Alpha));
        Row("batch size b", p => Format.G(p.BatchSize, 6));
        Row("iterations K = T/b", p => Format.G(p.Iterations, 6));
        Row("proxy P", p => Format.G(p.Proxy, 6));
        console.Write(table);
        console.MarkupLine(Markup.Escape(
            $"closed form: {(s.ClosedFormExact ? "exact for this proxy" : "leading order")}; gap to the numerical optimum: proxy {Format.Percent(s.ProxyGap, 4)}, arguments {Format.Percent(s.ArgumentGap, 4)}"));
        console.MarkupLine(Markup.Escape($"recommended: the {(ReferenceEquals(rec, s.ClosedForm) ? "closed-form" : "numerical")} point; valid: {(s.Valid ? "yes" : "no")}"));
        foreach (var w in s.Warnings) console.MarkupLine("[yellow]warning:[/] " + Markup.Escape(w));
    }
}
