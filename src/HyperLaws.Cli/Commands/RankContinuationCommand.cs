using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using HyperLaws.Cli.Options;
using HyperLaws.Cli.Output;
using HyperLaws.Evaluation;
using HyperLaws.Fitting;
using HyperLaws.Laws;
using HyperLaws.Schedules;
using Spectre.Console;

namespace HyperLaws.Cli.Commands;

/// <summary>
/// <c>hyperlaws rank-continuation</c>: continual training / fine-tuning. Ranks continuations of an existing run
/// (re-warm length x new peak x decay, <see cref="ContinuationGrid"/>) by the final loss a fitted law predicts with the
/// whole history in view (<see cref="SchedulePreselection"/>).
/// </summary>
internal static class RankContinuationCommand
{
    public static Command Create(CliIo io)
    {
        var lawFile = CliOptions.LawFile();
        var historyOption = new Option<string>("--history") { Description = "The run so far: a run file (its logged LRs) or a schedule spec (e.g. 'cosine(peak=3e-4,steps=24000,warmup=2160)').", Required = true, HelpName = "RUN_OR_SPEC" };
        var stepsOption = new Option<string>("--steps") { Description = "Steps of the continuation (e.g. 10000 or 10k).", Required = true, HelpName = "S" };
        var rewarm = new Option<string>("--rewarm") { Description = "Re-warm lengths in steps, comma list (default 0, 1% and 5% of S).", HelpName = "LIST" };
        var peaks = new Option<string>("--peaks") { Description = "New peak LRs, comma list (default 0.25, 0.5 and 1 x the history's peak).", HelpName = "LIST" };
        var decay = new Option<string>("--decay") { Description = "Decays after the re-warm, comma list of constant, cosine, linear, wsd (default: all four).", HelpName = "LIST" };
        var from = new Option<string>("--rewarm-from") { Description = "Re-warm from zero (default) or from the run's current LR.", HelpName = "zero|current" };
        var top = new Option<int?>("--top") { Description = "How many candidates to report (default 10).", HelpName = "K" };
        var size = CliOptions.ModelSize();
        var json = CliOptions.Json();
        var quiet = CliOptions.Quiet();
        var command = new Command("rank-continuation", "Rank continuations of an existing run (re-warm length, new peak, decay) by the final loss a fitted law predicts with the whole history.");
        foreach (var o in new Option[] { lawFile, historyOption, stepsOption, rewarm, peaks, decay, from, top, size, json, quiet }) command.Options.Add(o);

        command.SetAction(r =>
        {
            string path = r.GetValue(lawFile)!;
            var doc = LawRuns.LoadLaw(path);
            var (law, p) = doc.Instantiate();
            double modelSize = Predict.PredictCommand.ModelSize(r.GetValue(size), law is SizedLaw, path);
            string stepsText = r.GetValue(stepsOption)!;
            int steps = LawRuns.Steps(stepsText);
            var previous = History(r.GetValue(historyOption)!);
            double lastPeak = previous.Evaluate().Max();
            if (!(lastPeak > 0)) throw new UserInputException("--history: its learning rates are all zero.");
            var rewarmFrom = r.GetValue(from) switch
            {
                null or "zero" => RewarmFrom.Zero,
                "current" => RewarmFrom.Current,
                var x => throw new UserInputException($"--rewarm-from: '{x}' is not zero or current."),
            };
            int k = r.GetValue(top) ?? 10;
            if (k < 1) throw new UserInputException($"--top: {k} is not a positive count.");
            var grid = new ContinuationGrid(
                r.GetValue(rewarm) is { } w ? [.. Rank.RankCommand.Numbers("--rewarm", w, v => v == Math.Floor(v) && v >= 0 && v < steps, $"a whole number of steps in [0, {steps})").Select(x => (int)x)]
                    : [.. new[] { 0, 0.01, 0.05 }.Select(x => (int)Math.Round(x * steps)).Distinct()],
                r.GetValue(peaks) is { } pk ? Rank.RankCommand.Numbers("--peaks", pk, v => v > 0 && v <= CliOptions.MaxLearningRate, "a positive learning rate of at most 1e6") : [.. new[] { 0.25, 0.5, 1 }.Select(f => f * lastPeak)],
                r.GetValue(decay) is { } d ? Decays(d) : ContinuationGrid.KnownDecays,
                rewarmFrom);
            var candidates = UserInputException.Guard(() => grid.Schedules(previous, steps));
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var ranked = SchedulePreselection.Rank(law, p, candidates, modelSize);
            double seconds = clock.Elapsed.TotalSeconds;
            var shown = ranked.Take(k).ToList();
            var y = new double[1];
            law.Predict(p, new ScheduleHistory(previous.Evaluate()), modelSize, [previous.Steps], y);
            double now = y[0];

            if (r.GetValue(json))
            {
                io.Out.WriteLine(Json.Serialize(new JsonObject
                {
                    ["law"] = law.Name,
                    ["historySteps"] = previous.Steps,
                    ["historyLoss"] = Json.Number(now),
                    ["steps"] = steps,
                    ["evaluated"] = ranked.Count,
                    ["seconds"] = Math.Round(seconds, 3),
                    ["candidates"] = new JsonArray([.. shown.Select((x, i) =>
                    {
                        var next = (WarmupSchedule)((ContinuedSchedule)x.Schedule).Next;
                        return (JsonNode)new JsonObject
                        {
                            ["rank"] = i + 1,
                            ["next"] = next.ToSpec(),
                            ["decay"] = next.Family,
                            ["peak"] = next.Peak,
                            ["rewarm"] = next.Warmup,
                            ["rewarmFrom"] = ((ContinuedSchedule)x.Schedule).RewarmFrom.ToString().ToLowerInvariant(),
                            ["predictedLoss"] = Json.Number(x.PredictedLoss),
                        };
                    })]),
                }));
                return 0;
            }
            var console = io.Table();
            var table = new Table().Border(TableBorder.Rounded).AddColumn(new TableColumn("#").RightAligned()).AddColumn("continuation").AddColumn(new TableColumn("predicted final loss").RightAligned());
            for (int i = 0; i < shown.Count; i++)
                table.AddRow((i + 1).ToString(CultureInfo.InvariantCulture), Markup.Escape(((ContinuedSchedule)shown[i].Schedule).Next.ToSpec()), Format.G(shown[i].PredictedLoss, 6));
            console.Write(table);
            console.MarkupLine(Markup.Escape($"{law.Name}: {ranked.Count} continuations of {steps} steps after a {previous.Steps}-step history (predicted loss there {Format.G(now, 6)}) ranked in {seconds:F2} s, re-warm from {rewarmFrom.ToString().ToLowerInvariant()}."));
            return 0;
        });
        return command;
    }

    /// <summary>A run file (its logged LRs as a table) or a schedule spec.</summary>
    private static LrSchedule History(string text)
    {
        if (File.Exists(text))
        {
            var run = LawRuns.Load([text])[0];
            if (run.Steps == 0) throw new UserInputException($"--history: {text} has no learning rates.");
            return UserInputException.Guard(() => new TableSchedule(run.LearningRates));
        }
        try
        {
            var s = LrSchedule.Parse(text);
            ScheduleMemory.Check(s.Steps);
            return s;
        }
        catch (Exception e) when (e is FormatException or ArgumentException or IOException)
        {
            throw new UserInputException($"--history: '{text}' is neither a run file nor a schedule spec ({e.Message})");
        }
    }

    private static List<string> Decays(string text)
    {
        var words = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(x => x.ToLowerInvariant()).ToList();
        if (words.Count == 0) throw new UserInputException("--decay: no values given.");
        foreach (var w in words)
            if (!ContinuationGrid.KnownDecays.Contains(w))
                throw new UserInputException($"--decay: '{w}' is not one of {string.Join(", ", ContinuationGrid.KnownDecays)}.");
        return words;
    }
}
