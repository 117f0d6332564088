using System.Globalization;
using System.Text.Json.Nodes;
using HyperLaws.Cli.Output;
using HyperLaws.Planning;
using HyperLaws.Schedules;
using Spectre.Console;

namespace HyperLaws.Cli.Commands;

/// <summary>A <see cref="TrainingPlan"/> as JSON (every field) and as tables for people.</summary>
internal static class PlanOutput
{
    public static JsonObject ToJson(TrainingPlan plan)
    {
        var hp = plan.Hyperparameters;
        return new JsonObject
        {
            ["format"] = "hyperlaws-plan",
            ["version"] = 1,
            ["request"] = new JsonObject
            {
                ["parameters"] = plan.Request.Parameters,
                ["tokens"] = plan.Request.Tokens,
                ["optimizer"] = plan.Request.Optimizer.Name(),
                ["sequenceLength"] = plan.Request.SequenceLength,
                ["batchMultiple"] = plan.Request.BatchMultiple,
            },
            ["hyperparameters"] = new JsonObject
            {
                ["batchTokens"] = hp.BatchTokens,
                ["batchSequences"] = hp.BatchSequences,
                ["steps"] = hp.Steps,
                ["momentum"] = Json.Number(hp.Momentum),
                ["ruleLearningRate"] = Json.Number(hp.RuleLearningRate),
                ["source"] = hp.Source,
                ["sourceName"] = hp.SourceName,
            },
            ["law"] = plan.Law,
            ["best"] = Schedule(plan.Best),
            ["runnerUps"] = new JsonArray([.. plan.RunnerUps.Select(s => (JsonNode)Schedule(s))]),
            ["intervalMethod"] = plan.IntervalMethod,
            ["reasons"] = new JsonArray([.. plan.Reasons.Select(r => (JsonNode)new JsonObject { ["decides"] = r.Decides, ["source"] = r.Source, ["text"] = r.Text })]),
            ["warnings"] = Json.Strings(plan.Warnings),
            ["accuracy"] = new JsonArray([.. plan.Accuracy.Select(a => (JsonNode)new JsonObject
            {
                ["law"] = a.Law, ["protocol"] = a.Protocol, ["predE"] = Json.Number(a.PredE), ["worstE"] = Json.Number(a.WorstE), ["finalError"] = Json.Number(a.FinalError),
                ["heldOut"] = Json.Strings(a.Curves.Select(c => c.Run)),
            })]),
            ["runs"] = Json.Strings(plan.Runs),
        };
    }

    private static JsonObject Schedule(PlannedSchedule s) => new()
    {
        ["schedule"] = s.Schedule.ToSpec(),
        ["family"] = s.Schedule.Family,
        ["peak"] = s.Schedule is WarmupSchedule w ? w.Peak : null,
        ["warmup"] = s.Schedule is WarmupSchedule wu ? wu.Warmup : null,
        ["cooldown"] = s.Schedule is WsdSchedule ws ? ws.CooldownLength : null,
        ["steps"] = s.Schedule.Steps,
        ["predictedLoss"] = Json.Number(s.PredictedLoss),
        ["interval"] = double.IsNaN(s.Lower) ? null : new JsonObject { ["lower"] = Json.Number(s.Lower), ["upper"] = Json.Number(s.Upper) },
        ["diverges"] = s.Diverges,
        ["divergenceProbability"] = Json.Number(s.DivergenceProbability),
    };

    /// <summary>The plan, the runner-ups, the reasons and the held-out accuracy as tables.</summary>
    public static void Write(IAnsiConsole console, TrainingPlan plan)
    {
        var hp = plan.Hyperparameters;
        var best = plan.Best;
        var w = best.Schedule as WarmupSchedule;
        var summary = new Table().Border(TableBorder.Rounded).Title("plan").AddColumn("setting").AddColumn("value").AddColumn("from");
        summary.AddRow("optimizer", plan.Request.Optimizer.Name(), "");
        summary.AddRow("model size N", Format.G(plan.Request.Parameters), "");
        summary.AddRow("token budget T", Format.G(plan.Request.Tokens), "");
        summary.AddRow("batch", Markup.Escape($"{hp.BatchSequences} x {plan.Request.SequenceLength} = {Format.G(hp.BatchTokens)} tokens"), Markup.Escape(hp.SourceName));
        summary.AddRow("steps", hp.Steps.ToString(CultureInfo.InvariantCulture), "T / batch");
        summary.AddRow("momentum (beta1)", Format.Beta(Math.Round(hp.Momentum, 4)), Markup.Escape(hp.SourceName));
        summary.AddRow("schedule", Markup.Escape(best.Schedule.ToSpec()), Markup.Escape(plan.Law));
        if (w is not null)
        {
            summary.AddRow("peak LR", Format.G(w.Peak), Markup.Escape($"{Format.G(w.Peak / hp.RuleLearningRate, 2)} x the rule's {Format.G(hp.RuleLearningRate)}"));
            summary.AddRow("warmup", $"{w.Warmup} steps", Markup.Escape(plan.Law));
        }
        summary.AddRow("predicted final loss", Markup.Escape(Format.G(best.PredictedLoss, 5) + (double.IsNaN(best.Lower) ? "" : $" ({Format.G(best.Lower, 5)} to {Format.G(best.Upper, 5)})")), Markup.Escape(plan.Law));
        if (best.Diverges is { } d) summary.AddRow("divergence", d ? "predicted to DIVERGE" : "predicted to train", Markup.Escape($"p = {Format.G(best.DivergenceProbability, 3)}"));
        console.Write(summary);

        if (plan.RunnerUps.Count > 0)
        {
            var runners = new Table().Border(TableBorder.Rounded).Title("runner-ups").AddColumn("#").AddColumn("schedule").AddColumn(new TableColumn("predicted loss").RightAligned()).AddColumn("diverges");
            int i = 2;
            foreach (var s in plan.RunnerUps)
                runners.AddRow((i++).ToString(CultureInfo.InvariantCulture), Markup.Escape(s.Schedule.ToSpec()), Format.G(s.PredictedLoss, 5), s.Diverges is { } x ? (x ? "yes" : "no") : "?");
            console.Write(runners);
        }

        var why = new Table().Border(TableBorder.Rounded).Title("reasons").AddColumn("decides").AddColumn("by").AddColumn("why");
        foreach (var r in plan.Reasons) why.AddRow(Markup.Escape(r.Decides), Markup.Escape(r.Source), Markup.Escape(r.Text));
        console.Write(why);

        if (plan.Accuracy.Count > 0)
        {
            var acc = new Table().Border(TableBorder.Rounded).Title("laws on held-out runs").AddColumn("law").AddColumn(new TableColumn("PredE").RightAligned())
                .AddColumn(new TableColumn("WorstE").RightAligned()).AddColumn(new TableColumn("final-loss error").RightAligned()).AddColumn("protocol");
            foreach (var a in plan.Accuracy)
                acc.AddRow(Markup.Escape(a.Law), Format.Percent(a.PredE), Format.Percent(a.WorstE), Format.Percent(a.FinalError), Markup.Escape(a.Protocol));
            console.Write(acc);
        }
        if (plan.Warnings.Count > 0)
        {
            console.MarkupLine("[bold]warnings[/]");
            foreach (var warning in plan.Warnings) console.MarkupLine(Markup.Escape($"- {warning}."));
        }
    }
}
