using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using HyperLaws.Cli.Commands.Hosting;
using HyperLaws.Cli.Options;
using HyperLaws.Cli.Output;
using HyperLaws.Evaluation;
using HyperLaws.Fitting;
using HyperLaws.Laws;
using HyperLaws.Plotting;
using HyperLaws.Schedules;

namespace HyperLaws.Cli.Commands;

/// <summary>
/// <c>hyperlaws contour</c>: the Opt-Laws figure. For each budget, the perplexity exp(L) a fitted law predicts after the
/// last step, over warmup steps x peak LR, with the predicted optimum marked. One figure (PNG, SVG, CSV) per budget: the
/// plotting layer draws one contour panel per figure. contour_optima.csv lists each budget's optimum.
/// </summary>
internal static class ContourCommand
{
    public static Command Create(CliIo io)
    {
        var lawFile = CliOptions.LawFile();
        var tokens = CliOptions.Parsed("--tokens", "Token budgets, comma list (e.g. 1B,2B,4B); needs --tokens-per-step.", "LIST", text => CliOptions.Numbers("--tokens", text, v => v > 0 && v <= 1e30, "a positive number of tokens (at most 1e30)") is { Count: > 0 } ? text : text);
        var perStep = CliOptions.Checked("--tokens-per-step", "Tokens per optimizer step (batch size x sequence length), to turn --tokens into steps.", "K", v => v >= 1 && v <= CliOptions.MaxTokensPerStep, "a positive number of tokens (1 to 1e12)");
        var stepsOption = CliOptions.NumberList("--steps", "Step budgets, comma list (instead of --tokens).", "LIST", v => v == Math.Floor(v) && v >= 10 && v <= LrSchedule.MaxSteps, "a whole number of steps >= 10");
        var family = CliOptions.Parsed("--family", "Schedule family of every grid point: cosine (default), linear, wsd or constant.", "NAME", text => CandidateGrid.KnownFamilies.Contains(text.ToLowerInvariant()) ? text.ToLowerInvariant() : throw new UserInputException($"--family: '{ErrorText.Echo(text)}' is not one of {string.Join(", ", CandidateGrid.KnownFamilies)}."));
        var cooldown = CliOptions.Checked("--cooldown", "wsd cooldown as a fraction of the run (default 0.2).", "F", v => v > 0 && v <= 1, "a fraction of the run in (0, 1]");
        var floor = CliOptions.Checked("--floor", "Final LR as a fraction of the peak (default 0.1).", "F", v => v >= 0 && v < 1, "a fraction of the peak in [0, 1)");
        var peaks = CliOptions.Parsed("--peaks", "Peak LR axis LO:HI:N, log-spaced (default: the training runs' peaks /4 to x4, 13 points).", "LO:HI:N", text => Axis("--peaks", text, 1e-12, 10));
        var warmups = CliOptions.Parsed("--warmups", "Warmup axis as fractions of the run LO:HI:N, log-spaced (default 0.002:0.3:12).", "LO:HI:N", text => Axis("--warmups", text, 1e-9, 0.99));
        var runsOption = CliOptions.InputPaths("--runs", "The law's training runs (default: the files LAW.json names, when they exist): default peak axis and the fitted peak range drawn as dashed lines.");
        var size = CliOptions.ModelSize("Model size in parameters (e.g. 400M): for a law fitted with 'fit --across-sizes', and for the divergence screen.");
        var output = new Option<string>("--out") { Description = "Folder for the figures (contour_<budget>.png/.svg/.csv and contour_optima.csv).", Required = true, HelpName = "DIR" };
        var divergence = new DivergenceScreenOptions();
        var json = CliOptions.Json();
        var quiet = CliOptions.Quiet();
        var command = new Command("contour", "The Opt-Laws figure: predicted perplexity over warmup steps x peak LR, one figure per token (or step) budget, optimum marked.");
        foreach (var o in new Option[] { lawFile, tokens, perStep, stepsOption, family, cooldown, floor, peaks, warmups, runsOption, size, output, json, quiet }) command.Options.Add(o);
        divergence.AddTo(command);

        command.SetAction(r =>
        {
            string path = r.GetValue(lawFile)!;
            var doc = LawRuns.LoadLaw(path);
            var (law, p) = doc.Instantiate();
            var screen = divergence.Create(r, r.GetValue(size));
            double modelSize = Predict.PredictCommand.ModelSize(r.GetValue(size), law is SizedLaw, path, usedElsewhere: screen is not null);
            var budgets = Budgets(r.Given(tokens), r.GetValue(perStep), r.Given(stepsOption));
            string fam = r.GetValue(family) ?? "cosine";
            double cool = r.GetValue(cooldown) ?? 0.2;
            double floorFraction = r.GetValue(floor) ?? 0.1;
            var training = Rank.RankCommand.TrainingRange(r.GetValue(runsOption), doc, path);
            var peakAxis = r.Given(peaks) is { } pk ? pk
                : training is { } t ? Rank.RankCommand.LogSpaced(t.MinPeak / 4, t.MaxPeak * 4, 13)
                : throw new UserInputException($"--peaks: the training runs of {path} were not found, so give the peak LR axis (e.g. --peaks 1e-4:3e-3:13) or the runs (--runs).");
            var warmupFractions = r.Given(warmups) is { } w ? w : Rank.RankCommand.LogSpaced(0.002, 0.3, 12);
            if (fam == "wsd" && warmupFractions[^1] + cool > 1)
                throw new UserInputException($"--warmups: a warmup of {warmupFractions[^1]} of the run plus the wsd cooldown {cool} exceeds the run.");
            string dir = r.GetValue(output)!;
            bool chatty = !r.GetValue(json) && !r.GetValue(quiet);

            var optima = new List<(string Label, int Steps, int Warmup, double Peak, double Loss)>();
            var divergingCells = new List<(string Label, int Count, int Of)>();
            var written = new List<string>();
            foreach (var (label, steps) in budgets)
            {
                var warmupSteps = warmupFractions.Select(x => Math.Max(1, (int)Math.Round(x * steps))).Distinct().ToArray();
                if (warmupSteps.Length < 2) throw new UserInputException($"--warmups: the budget of {steps} steps leaves fewer than two distinct warmup lengths.");
                var schedules = new List<LrSchedule>();
                foreach (var peak in peakAxis)
                    foreach (var wu in warmupSteps)
                        schedules.Add(UserInputException.Guard(() => Make(fam, peak, steps, wu, cool, floorFraction)));
                var (loss, diverges) = SchedulePreselection.PredictAndScreen(law, p, schedules, modelSize, screen);
                if (screen is not null)
                {
                    // Cells the divergence model rejects are left blank and cannot be the optimum.
                    for (int i = 0; i < loss.Length; i++)
                        if (diverges[i] == true) loss[i] = double.NaN;
                    divergingCells.Add((label, diverges.Count(d => d == true), loss.Length));
                }
                // Perplexity = exp(L) for a loss in nats per token; cells whose prediction is not finite stay blank.
                var z = new double[peakAxis.Count, warmupSteps.Length];
                int best = -1;
                for (int i = 0; i < loss.Length; i++)
                {
                    z[i / warmupSteps.Length, i % warmupSteps.Length] = double.IsFinite(loss[i]) ? Math.Exp(loss[i]) : double.NaN;
                    if (double.IsFinite(loss[i]) && (best < 0 || loss[i] < loss[best])) best = i;
                }
                if (best < 0) throw new UserInputException($"{path}: the law predicts no finite loss anywhere on the grid for {label}.");
                var opt = (WarmupSchedule)schedules[best];
                optima.Add((label, steps, opt.Warmup, opt.Peak, loss[best]));
                var overlays = new List<LineSeries>(OptimumMarker.Overlays($"optimum: warmup {opt.Warmup}, peak {Format.G(opt.Peak, 3)}, ppl {Format.G(Math.Exp(loss[best]), 5)}",
                    opt.Warmup, opt.Peak, [warmupSteps[0], warmupSteps[^1]], peakAxis));
                if (training is { } tr)
                {
                    double[] xs = [warmupSteps[0], warmupSteps[^1]];
                    overlays.Add(new LineSeries("fitted peak range", xs, [tr.MinPeak, tr.MinPeak], Dashed: true, ColorHex: "#ffffff"));
                    if (tr.MaxPeak > tr.MinPeak * 1.001) overlays.Add(new LineSeries("fitted peak range (max)", xs, [tr.MaxPeak, tr.MaxPeak], Dashed: true, ColorHex: "#ffffff"));
                }
                var chart = new ContourChart($"{law.Name}: predicted perplexity, {fam} schedule, {(label.EndsWith(" steps", StringComparison.Ordinal) ? label : $"{label} ({steps} steps)")}",
                    "warmup steps", "peak learning rate", "perplexity", warmupSteps.Select(x => (double)x).ToArray(), peakAxis.ToArray(), z,
                    LogX: true, LogY: true, LogZ: true, Levels: 12, Overlays: overlays);
                string name = "contour_" + Sanitize(label);
                written.AddRange(Files.Guard(dir, () => FigureWriter.Write(chart, dir, name)));
                if (chatty) io.Err.WriteLine($"{label}: optimum warmup {opt.Warmup}, peak {Format.G(opt.Peak, 3)}, predicted loss {Format.G(loss[best], 6)}");
            }
            var csv = new StringBuilder("budget,steps,family,warmup,peak,loss,perplexity\n");
            foreach (var o in optima)
                csv.Append(CultureInfo.InvariantCulture, $"{o.Label},{o.Steps},{fam},{o.Warmup},{o.Peak:R},{o.Loss:R},{Math.Exp(o.Loss):R}\n");
            string optimaPath = Path.Combine(dir, "contour_optima.csv");
            Files.WriteAtomic(optimaPath, csv.ToString());
            written.Add(optimaPath);

            var notes = new List<string>();
            if (screen is null) notes.Add("diverging regions are not marked: give --divergence DIV.json --params N --batch B (cells with a non-finite prediction are blank)");
            else notes.AddRange(divergingCells.Select(d => $"{d.Label}: {d.Count} of {d.Of} cells predicted to diverge (left blank)"));
            if (training is null) notes.Add($"the training runs of {path} were not found: the fitted peak range is not drawn");
            if (r.GetValue(json))
            {
                io.Out.WriteLine(Json.Serialize(new JsonObject
                {
                    ["law"] = law.Name,
                    ["family"] = fam,
                    ["optima"] = new JsonArray([.. optima.Select(o => (JsonNode)new JsonObject
                    {
                        ["budget"] = o.Label, ["steps"] = o.Steps, ["warmup"] = o.Warmup, ["peak"] = o.Peak, ["loss"] = Json.Number(o.Loss), ["perplexity"] = Json.Number(Math.Exp(o.Loss)),
                    })]),
                    ["files"] = Json.Strings(written),
                    ["notes"] = Json.Strings(notes),
                }));
                return 0;
            }
            foreach (var file in written) io.Out.WriteLine($"written: {file}");
            if (chatty) foreach (var n in notes) io.Err.WriteLine($"note: {n}.");
            return 0;
        });
        return command;
    }

    private static LrSchedule Make(string family, double peak, int steps, int warmup, double cooldown, double floor) => family switch
    {
        "constant" => new ConstantSchedule(peak, steps, warmup),
        "cosine" => new CosineSchedule(peak, steps, warmup, floor * peak),
        "linear" => new LinearSchedule(peak, steps, warmup, floor * peak),
        _ => new WsdSchedule(peak, steps, warmup, cooldown: cooldown, floor: floor * peak),
    };

    /// <summary>The budgets as (label, steps): tokens / tokens-per-step rounded, or steps given directly.</summary>
    private static List<(string Label, int Steps)> Budgets(string? tokens, double? perStep, List<double>? steps)
    {
        if ((tokens is null) == (steps is null)) throw new UserInputException("--tokens: give the budgets as --tokens (with --tokens-per-step) or as --steps, one of the two.");
        if (steps is not null)
            return steps.Distinct().Select(s => ($"{((int)s).ToString(CultureInfo.InvariantCulture)} steps", (int)s)).ToList();
        if (perStep is not { } k) throw new UserInputException("--tokens-per-step: needed to turn --tokens into steps (batch size x sequence length).");
        var list = new List<(string, int)>();
        foreach (var text in tokens!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct())
        {
            double t = CliOptions.Numbers("--tokens", text, v => v > 0 && double.IsFinite(v), "a positive number of tokens").Single();
            double s = Math.Round(t / k);
            if (s < 10 || s > LrSchedule.MaxSteps) throw new UserInputException($"--tokens: {text} tokens at {Format.G(k)} per step is {s} steps, outside 10..{LrSchedule.MaxSteps}.");
            list.Add(($"{text} tokens", (int)s));
        }
        if (list.Count == 0) throw new UserInputException("--tokens: no values given.");
        return list;
    }

    private static List<double> Axis(string option, string text, double min, double max)
    {
        var parts = text.Split(':');
        if (parts.Length != 3 || !Quantity.TryParse(parts[0], out double lo) || !Quantity.TryParse(parts[1], out double hi)
            || !int.TryParse(parts[2], NumberStyles.Integer, CultureInfo.InvariantCulture, out int n))
            throw new UserInputException($"{option}: '{text}' is not LO:HI:N (e.g. 1e-4:3e-3:13).");
        if (!(lo >= min) || !(hi > lo) || !(hi <= max) || n < 2 || n > 200)
            throw new UserInputException($"{option}: '{text}' needs {Format.G(min)} <= LO < HI <= {Format.G(max)} and 2 <= N <= 200.");
        return Rank.RankCommand.LogSpaced(lo, hi, n);
    }

    private static string Sanitize(string label) => new(label.Select(ch => char.IsLetterOrDigit(ch) || ch is '.' or '-' ? ch : '_').ToArray());
}
