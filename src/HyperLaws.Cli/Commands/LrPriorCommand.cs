using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using HyperLaws.Cli.Options;
using HyperLaws.Cli.Output;
using HyperLaws.Laws.Joint;
using HyperLaws.Validation;

namespace HyperLaws.Cli.Commands;

/// <summary>
/// <c>hyperlaws lr-prior --data DIR --out FILE</c>: fits the joint law's LR-axis prior (<see cref="LrAxisPrior"/>) on the Step
/// Law sweep table under DIR (steplaw/data/dense_lr_bs_loss.csv) and writes it (data/priors/lr-axis-steplaw.json is made so).
/// Only fitted numbers are written, never the table's rows.
/// </summary>
internal static class LrPriorCommand
{
    /// <summary>The prior plan and demo use when none is given (data/priors/README.md).</summary>
    public static readonly string DefaultPrior = Path.Combine("data", "priors", "lr-axis-steplaw.json");

    public static Command Create(CliIo io)
    {
        var data = new Option<string>("--data") { Description = "Folder laid out like shared/data (needs steplaw/data/dense_lr_bs_loss.csv).", DefaultValueFactory = _ => Path.Combine("..", "shared", "data"), HelpName = "DIR" };
        var output = new Option<string>("--out") { Description = "Where to write the prior.", Required = true, HelpName = "FILE" };
        var json = CliOptions.Json();
        var quiet = CliOptions.Quiet();
        var command = new Command("lr-prior", "Fit the joint law's LR-axis prior (the optimum's ratio to Step Law's eta_ref(N, D) and the curvature of the loss in ln LR) cell by cell on the Step Law sweep and write it.");
        foreach (var o in new Option[] { data, output, json, quiet }) command.Options.Add(o);
        command.SetAction(r =>
        {
            bool asJson = r.GetValue(json), chatty = !asJson && !r.GetValue(quiet);
            string root = r.GetValue(data)!, outPath = r.GetValue(output)!;
            if (!File.Exists(StepLawGrid.TablePath(root)))
                throw new UserInputException($"--data: {StepLawGrid.TablePath(root)} not found (the LR-axis prior is fitted on the Step Law grid, which the repository does not ship; try --data ../shared/data).");
            var clock = Stopwatch.StartNew();
            var fit = UserInputException.Guard(() => LrTransfer.FitPrior(root));
            var doc = LrAxisPriorDocument.ToJson(fit.Prior, Provenance(fit, root));
            Files.WriteAtomic(outPath, Json.Serialize(doc));
            if (asJson)
            {
                io.Out.WriteLine(Json.Serialize(new JsonObject { ["prior"] = outPath, ["axis"] = doc["axis"]!.DeepClone(), ["seconds"] = Math.Round(clock.Elapsed.TotalSeconds, 1) }));
                return 0;
            }
            var p = fit.Prior;
            io.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"wrote {outPath}: x* {p.Ratio:G4} (ln spread {p.LnRatioSpread:G3}), curvature {p.Curvature:G4} (ln spread {p.LnCurvatureSpread:G3}), peaks {p.RatioLow:G3}..{p.RatioHigh:G3} x eta_ref, {p.Cells} cells, {clock.Elapsed.TotalSeconds:F0} s"));
            return 0;
        });
        return command;
    }

    /// <summary>Sources, the command that regenerates the file, the date and the per-cell fits (fitted numbers only).</summary>
    private static JsonObject Provenance(LrAxisPriorFit fit, string root) => new()
    {
        ["sources"] = Json.Strings([StepLawGrid.TablePath(root)]),
        ["data"] = "Step Law sweep (Li et al. 2025, arXiv 2503.04715, github.com/step-law/steplaw): dense LLM runs, AdamW, 2,000-step warmup then cosine to the run's mlr; each cell read at the batch of its best run. The table carries no licence and is not copied here: only fitted numbers are.",
        ["command"] = "hyperlaws lr-prior --data ../shared/data --out data/priors/lr-axis-steplaw.json",
        ["date"] = DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        ["method"] = "per (N, D) cell, at the batch of its best run: ln L = a + b ln eta + c (ln eta)^2 fitted on the runs within 5% of that batch's best loss (four or more runs, three or more LRs, c > 0); ratio = median over cells of eta*/eta_ref(N, D), curvature = median of c; spreads half the interquartile range of the logs; ratioLow/High the medians over cells of the lowest and highest LR / eta_ref",
        ["cellFits"] = new JsonArray([.. fit.CellFits.Select(c => (JsonNode)new JsonObject
        {
            ["N"] = c.N, ["D"] = c.D, ["batchTokens"] = c.BatchTokens, ["optimalLr"] = c.OptimalLr, ["ratio"] = c.Ratio, ["curvature"] = c.Curvature, ["points"] = c.Points,
        })]),
    };
}
