using System.CommandLine;
using System.Text.Json.Nodes;
using HyperLaws.Cli.Options;
using HyperLaws.Cli.Output;
using HyperLaws.Fitting;
using HyperLaws.Laws;
using HyperLaws.Plotting;
using HyperLaws.Schedules;
using Spectre.Console;

namespace HyperLaws.Cli.Commands;

/// <summary><c>hyperlaws predict</c>: the loss curve a fitted law predicts for a schedule.</summary>
internal static class PredictCommand
{
    public static Command Create(CliIo io)
    {
        var lawFile = new Option<string>("--law") { Description = "A fitted law (LAW.json from 'hyperlaws fit').", Required = true, HelpName = "LAW.json" };
        var schedule = new Option<string>("--schedule") { Description = "The schedule, e.g. 'wsd(peak=3e-4,warmup=2160,steps=24000,cooldown=0.2,shape=linear,floor=3e-5)' or its JSON form.", Required = true, HelpName = "SPEC" };
        var steps = new Option<string>("--steps") { Description = "Steps to predict: a comma list (1000,5000,24000) or 'every:K'; default 200 points and the last step.", HelpName = "LIST" };
        var plot = new Option<string>("--plot") { Description = "Also draw the predicted curve (PNG; SVG and CSV beside it).", HelpName = "OUT.png" };
        var size = new Option<string>("--params") { Description = "Model size in parameters (e.g. 400M) for a law fitted with 'fit --across-sizes'.", HelpName = "N" };
        var json = CliOptions.Json();
        var command = new Command("predict", "Predict the loss curve of a schedule with a fitted law.");
        foreach (var o in new Option[] { lawFile, schedule, steps, plot, size, json }) command.Options.Add(o);

        command.SetAction(r =>
        {
            string path = r.GetValue(lawFile)!;
            FittedLawDocument doc;
            try
            {
                doc = FittedLawDocument.Parse(File.ReadAllText(path));
            }
            catch (Exception e) when (e is FormatException or IOException or UnauthorizedAccessException)
            {
                throw new UserInputException($"{path}: {e.Message}");
            }
            var (law, p) = doc.Instantiate();
            double modelSize = ModelSize(r.GetValue(size), law is SizedLaw, path);
            LrSchedule s;
            try
            {
                s = LrSchedule.Parse(r.GetValue(schedule)!);
            }
            catch (Exception e) when (e is FormatException or ArgumentException or IOException)
            {
                throw new UserInputException($"--schedule: {e.Message}");
            }
            var lrs = s.Evaluate();
            int[] at = Steps(r.GetValue(steps), s.Steps);
            var y = new double[at.Length];
            law.Predict(p, new ScheduleHistory(lrs), modelSize, at, y);

            if (r.GetValue(plot) is { } png)
            {
                var chart = new LineChart($"{law.Name} prediction: {s.Family} schedule", "step", "predicted loss", false, false,
                    [new LineSeries("predicted loss", at.Select(x => (double)x).ToArray(), y)],
                    [new Annotation($"final loss {y[^1]:F4} at step {at[^1]}", Corner.UpperRight)]);
                string dir = Path.GetDirectoryName(Path.GetFullPath(png))!;
                Files.Guard(png, () => FigureWriter.Write(chart, dir, Path.GetFileNameWithoutExtension(png)));
            }
            if (r.GetValue(json))
            {
                io.Out.WriteLine(Json.Serialize(new JsonObject
                {
                    ["law"] = law.Name,
                    ["modelSize"] = Json.Number(modelSize),
                    ["schedule"] = s.ToSpec(),
                    ["steps"] = new JsonArray([.. at.Select(x => (JsonNode?)x)]),
                    ["learningRates"] = new JsonArray([.. at.Select(x => (JsonNode?)lrs[x - 1])]),
                    ["loss"] = new JsonArray([.. y.Select(Json.Number)]),
                    ["finalLoss"] = Json.Number(y[^1]),
                }));
                return 0;
            }
            var console = io.Table();
            var table = new Table().Border(TableBorder.Rounded).AddColumn(new TableColumn("step").RightAligned()).AddColumn(new TableColumn("lr").RightAligned()).AddColumn(new TableColumn("predicted loss").RightAligned());
            int stride = Math.Max(1, at.Length / 20);
            for (int i = 0; i < at.Length; i += stride) table.AddRow(at[i].ToString(System.Globalization.CultureInfo.InvariantCulture), Format.G(lrs[at[i] - 1]), Format.G(y[i], 6));
            if ((at.Length - 1) % stride != 0) table.AddRow(at[^1].ToString(System.Globalization.CultureInfo.InvariantCulture), Format.G(lrs[^1]), Format.G(y[^1], 6));
            console.Write(table);
            console.MarkupLine(Markup.Escape($"{law.Name}: predicted final loss {Format.G(y[^1], 6)} after {s.Steps} steps of {s.ToSpec()}" + (double.IsNaN(modelSize) ? "" : $" for N = {Format.G(modelSize)}")));
            return 0;
        });
        return command;
    }

    /// <summary>The --params value: required for a law across sizes, refused for a law of one size.</summary>
    private static double ModelSize(string? text, bool acrossSizes, string path)
    {
        if (text is null)
            return acrossSizes ? throw new UserInputException($"--params: {path} holds a law fitted across model sizes; give the model size, e.g. --params 400M.") : double.NaN;
        if (!acrossSizes) throw new UserInputException($"--params: {path} holds a law of one model size; fit it with 'fit --across-sizes' to predict other sizes.");
        if (!Quantity.TryParse(text, out double n) || !(n > 0) || !double.IsFinite(n))
            throw new UserInputException($"--params: '{text}' is not a positive number of parameters (e.g. 400M or 4e8).");
        return n;
    }

    private static int[] Steps(string? text, int total)
    {
        if (string.IsNullOrWhiteSpace(text))
            return Enumerable.Range(1, 200).Select(i => (int)Math.Round((double)i * total / 200)).Where(x => x >= 1).Distinct().ToArray();
        if (text.StartsWith("every:", StringComparison.OrdinalIgnoreCase))
        {
            if (!int.TryParse(text[6..], System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out int k) || k < 1)
                throw new UserInputException($"--steps: '{text}' needs a positive whole number after 'every:'.");
            return [.. Enumerable.Range(1, total / k).Select(i => i * k), .. total % k == 0 ? Array.Empty<int>() : [total]];
        }
        var list = new List<int>();
        foreach (string part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!Quantity.TryParse(part, out double v) || v != Math.Floor(v) || v < 1 || v > total)
                throw new UserInputException($"--steps: '{part}' is not a step in 1..{total}.");
            list.Add((int)v);
        }
        if (list.Count == 0) throw new UserInputException("--steps: no steps given.");
        return list.Distinct().Order().ToArray();
    }
}
