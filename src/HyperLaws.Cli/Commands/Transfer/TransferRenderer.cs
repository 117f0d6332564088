using System.Text.Json.Nodes;
using HyperLaws.Cli.Output;
using HyperLaws.Theory;
using Spectre.Console;

namespace HyperLaws.Cli.Commands.Transfer;

/// <summary>A transfer's result as a console table or one JSON object.</summary>
internal static class TransferRenderer
{
    public static void Write(CliIo io, TransferResult t, bool json)
    {
        ResultOutput.Write(io, json, () => ToJson(t), () => Table(io, t));
    }

    public static JsonObject ToJson(TransferResult t)
    {
        var q = t.Request;
        // The proxy's constants are unknown in a transfer; only its predicted ratio P(T)/P(T0) is given,
        // where the regime has a power law for it (not for lr-only, which stalls at a noise floor).
        double? ratio = q.Regime == TuningRegime.LrOnly ? null : Math.Pow(t.Ratio, t.Exponents.Proxy);
        return new JsonObject
        {
            ["regime"] = Names.Of(q.Regime),
            ["fromTokens"] = q.FromTokens,
            ["tokens"] = q.ToTokens,
            ["ratio"] = Json.Number(t.Ratio),
            ["iterations"] = Json.Number(t.Iterations),
            ["learningRate"] = Json.Number(t.LearningRate),
            ["momentum"] = Json.Number(t.Momentum),
            ["alpha"] = Json.Number(t.Alpha),
            ["batchSize"] = Json.Number(t.Batch),
            ["ruleBatch"] = Json.Number(t.RuleBatch),
            ["proxy"] = null,
            ["proxyRatio"] = ratio is { } x ? Json.Number(x) : null,
            ["valid"] = t.Valid,
            ["warnings"] = Json.Strings(t.Warnings),
            ["exponents"] = new JsonObject
            {
                ["batchSize"] = t.Exponents.Batch, ["alpha"] = t.Exponents.Alpha, ["learningRate"] = t.Exponents.LearningRate,
            },
            ["source"] = new JsonObject
            {
                ["learningRate"] = q.LearningRate, ["momentum"] = q.Momentum, ["batchSize"] = q.Batch,
            },
        };
    }

    public static void Table(CliIo io, TransferResult t)
    {
        var q = t.Request;
        var console = io.Table();
        console.MarkupLine(Markup.Escape($"{Names.Of(q.Regime)}: T0 = {Format.Count(q.FromTokens)} -> T = {Format.Count(q.ToTokens)} (r = {Format.G(t.Ratio)})"));
        var table = new Table().Border(TableBorder.Rounded)
            .AddColumn("quantity").AddColumn(new TableColumn("tuned at T0").RightAligned())
            .AddColumn(new TableColumn("rule").Centered()).AddColumn(new TableColumn("at T").RightAligned());
        table.AddRow("learning rate eta", Format.G(q.LearningRate), $"r^{Format.Signed(t.Exponents.LearningRate, 3)}", Format.G(t.LearningRate));
        table.AddRow("momentum beta", Format.Beta(q.Momentum), $"alpha r^{Format.Signed(t.Exponents.Alpha, 3)}", Format.Beta(t.Momentum));
        table.AddRow("batch size b", Format.G(q.Batch, 6), $"r^{Format.Signed(t.Exponents.Batch, 3)}", Format.G(t.Batch, 6));
        table.AddRow("iterations K", Format.G(q.FromTokens / (q.Batch * (q.SequenceLength ?? 1)), 6), "T/b", Format.G(t.Iterations, 6));
        console.Write(table);
        console.MarkupLine(Markup.Escape($"valid: {(t.Valid ? "yes" : "no")}"));
        foreach (var w in t.Warnings) console.MarkupLine("[yellow]warning:[/] " + Markup.Escape(w));
    }
}
