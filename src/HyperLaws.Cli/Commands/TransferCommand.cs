using System.CommandLine;
using System.Text.Json.Nodes;
using HyperLaws.Cli.Options;
using HyperLaws.Cli.Output;
using HyperLaws.Theory;
using Spectre.Console;

namespace HyperLaws.Cli.Commands;

/// <summary><c>hyperlaws transfer</c>: carry hyperparameters tuned at T0 to a budget T by a regime's power laws.</summary>
internal static class TransferCommand
{
    public static Command Create(CliIo io)
    {
        var regime = RegimeOption.Create(includeFixedLr: false);
        var from = CliOptions.Number("--from-tokens", "Budget T0 at which the hyperparameters were tuned.", "T0", double.NegativeInfinity, 1e30);
        var lr = CliOptions.Number("--lr", "Tuned learning rate eta0.", "ETA0", double.NegativeInfinity, 1e6);
        var momentum = CliOptions.Number("--momentum", "Tuned momentum beta0 in [0, 1).", "BETA0", 0, 1);
        var batch = CliOptions.Number("--batch", "Tuned batch size b0 >= 1 (at most 1e15).", "B0", 1, 1e15);
        var to = CliOptions.Number("--to-tokens", "Target budget T (same unit as T0).", "T", double.NegativeInfinity, 1e30);
        var ridge = CliOptions.Number("--ridge-exponent", "Batch-growth exponent c in [0, 1/2] (ridge).", "C", 0, 0.5);
        var multiple = CliOptions.Number("--batch-multiple", "Round the batch to a multiple of M (micro-batch x devices); default 1 (whole batches).", "M", 1, 1e15);
        var noRound = CliOptions.Flag("--no-round", "Keep the batch the rule gives, unrounded.");
        var seqLen = CliOptions.Number("--seq-len", "Tokens per sequence when the batch counts sequences (K = T/(b L)).", "L", double.NegativeInfinity, 1e12);
        var json = CliOptions.Json();
        foreach (var o in new[] { from, lr, momentum, batch, to }) o.Required = true;

        var command = new Command("transfer", "Transfer a learning rate, momentum and batch size tuned at one budget to another (LMO scaling rules).");
        foreach (var o in new Option[] { regime, from, lr, momentum, batch, to, ridge, multiple, noRound, seqLen, json })
            command.Options.Add(o);

        command.SetAction(r =>
        {
            if (r.GetValue(noRound) && r.GetValue(multiple) is not null) throw new UserInputException("give either --batch-multiple or --no-round, not both.");
            var request = new TransferRequest(
                RegimeOption.Read(r, regime), r.GetValue(from)!.Value, r.GetValue(lr)!.Value,
                r.GetValue(momentum)!.Value, r.GetValue(batch)!.Value, r.GetValue(to)!.Value)
            {
                RidgeExponent = r.GetValue(ridge),
                BatchMultiple = r.GetValue(noRound) ? null : r.GetValue(multiple) ?? 1,
                SequenceLength = r.GetValue(seqLen),
            };
            var t = UserInputException.Guard(() => BudgetTransfer.Transfer(request));
            if (!double.IsFinite(t.Batch) || !double.IsFinite(t.LearningRate) || !double.IsFinite(t.Momentum))
                throw new UserInputException("the transferred hyperparameters overflow (a batch, LR or momentum is not finite); give budgets and a batch of ordinary size.");
            if (r.GetValue(json)) io.Out.WriteLine(Json.Serialize(ToJson(t)));
            else Print(io, t);
            return 0;
        });
        return command;
    }

    private static JsonObject ToJson(TransferResult t)
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

    private static void Print(CliIo io, TransferResult t)
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
