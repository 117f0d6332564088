using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using HyperLaws.Cli.Commands.Hosting;
using HyperLaws.Cli.Options;
using HyperLaws.Cli.Output;
using HyperLaws.SizeLaws;
using HyperLaws.Validation;
using Spectre.Console;

namespace HyperLaws.Cli.Commands;

/// <summary>
/// <c>hyperlaws size-law</c>: the Chinchilla size law L(N, D) = E + A N^-alpha + B D^-beta fitted on the
/// Chinchilla runs (Besiroglu et al. 2024's procedure) and per Porian et al. 2024 configuration
/// (<see cref="ChinchillaFitValidation"/>), printed next to the published parameters.
/// </summary>
internal static class SizeLawCommand
{
    public static Command Create(CliIo io)
    {
        var data = new Option<string>("--data") { Description = "Folder laid out like shared/data (needs analyzing-chinchilla/data/svg_extracted_data.csv and resolving-scaling-law-discrepancies/derived/porian2024_isoflop_{points,optima}.csv); or --table.", HelpName = "DIR" };
        var table = new Option<string>("--table") { Description = "Instead of --data: your own runs, a CSV with columns N (or params), D (or tokens) and loss, one row per run.", HelpName = "RUNS.csv" };
        var heldOut = CliOptions.Checked("--held-out", "With --table: the fraction of runs with the most compute (6 N D) left out of the fit and predicted (default 0.2).", "F", v => v >= 0 && v < 1, "a fraction in [0, 1)");
        var lawOut = new Option<string>("--out") { Description = "With --table: write the fitted law to SIZE.json, for --law ... --predict.", HelpName = "SIZE.json" };
        var lawIn = new Option<string>("--law") { Description = "A size law written by --table ... --out, to predict with (--predict).", HelpName = "SIZE.json" };
        var predict = CliOptions.Parsed("--predict", "With --law: the (N, D) to predict the loss at, N:D pairs separated by commas (e.g. 1.3B:26B,7B:140B).", "N:D,...", SizeLawTable.Points);
        var fullGrid = CliOptions.Flag("--full-grid", "Use Besiroglu et al.'s 4,500-start grid (slow) instead of its 243-start sub-grid.");
        var resamples = CliOptions.Count("--resamples", "Bootstrap resamples of the runs (default 200).", "N", 10, 100000);
        var seed = CliOptions.Count("--seed", "Bootstrap seed (default 20240418).", "N", 0, int.MaxValue);
        var trainFraction = CliOptions.Checked("--train-fraction", "Held-out check: fraction of runs, smallest training FLOP first, fitted on (default 0.8).", "F", v => v >= 0.1 && v <= 0.95, "a fraction in [0.1, 0.95]");
        var exclude = CliOptions.Count("--exclude-highest-loss", "Drop this many highest-loss Chinchilla runs before fitting, as Besiroglu et al. 2024 did (default 5; 0 keeps all 245).", "K", 0, 100000);
        var json = CliOptions.Json();
        var quiet = CliOptions.Quiet();
        var command = new Command("size-law", "Fit the Chinchilla law L(N, D) = E + A N^-alpha + B D^-beta on the Chinchilla and Porian et al. runs: parameters with bootstrap intervals, a held-out compute check and the compute-optimal exponents.");
        foreach (var o in new Option[] { data, table, heldOut, lawOut, lawIn, predict, fullGrid, exclude, resamples, seed, trainFraction, json, quiet }) command.Options.Add(o);
        command.SetAction(r =>
        {
            bool silent = r.GetValue(quiet) || r.GetValue(json);
            Action<string>? progress = silent ? null : m => io.Err.WriteLine("size-law: " + m);
            int sources = (r.GetValue(data) is null ? 0 : 1) + (r.GetValue(table) is null ? 0 : 1) + (r.GetValue(lawIn) is null ? 0 : 1);
            if (sources != 1) throw new UserInputException("size-law: give exactly one of --data DIR, --table RUNS.csv, --law SIZE.json.");
            if (r.GetValue(table) is { } runsTable) return SizeLawTable.Fit(io, runsTable, r.GetValue(heldOut) ?? 0.2, r.GetValue(lawOut), r.GetValue(json), progress);
            if (r.GetValue(lawIn) is { } sizeLaw) return SizeLawTable.Predict(io, sizeLaw, r.Given(predict), r.GetValue(json));
            int n = (r.GetValue(resamples) ?? 200);
            if (n < 10) throw new UserInputException($"--resamples: at least 10 needed, found {n}.");
            double f = r.GetValue(trainFraction) ?? 0.8;
            if (!(f >= 0.1 && f <= 0.95)) throw new UserInputException($"--train-fraction: must be in [0.1, 0.95], found {Format.G(f)}.");
            string dir = r.GetValue(data)!;
            if (!Directory.Exists(dir)) throw new UserInputException($"--data: folder '{dir}' not found.");
            ChinchillaFitResult result;
            try
            {
                result = UserInputException.Guard(() => ChinchillaFitValidation.Run(dir, r.GetValue(fullGrid), n, (r.GetValue(seed) ?? 20240418), f, progress, (r.GetValue(exclude) ?? 5)));
            }
            catch (ValidationDataException e)
            {
                throw new UserInputException(e.Message);
            }
            if (r.GetValue(json)) io.Out.WriteLine(Json.Serialize(ToJson(result)));
            else Print(io, result);
            return 0;
        });
        return command;
    }

    private static JsonObject LawJson(ChinchillaLaw l) => new()
    {
        ["E"] = l.E, ["A"] = l.A, ["B"] = l.B, ["alpha"] = l.Alpha, ["beta"] = l.Beta,
        ["nOptExponent"] = l.NExponent, ["dOptExponent"] = l.DExponent,
    };

    private static JsonObject FitJson(ChinchillaFit f)
    {
        var node = LawJson(f.Law);
        node["objective"] = f.Objective;
        node["rmsLogResidual"] = f.RmsLogResidual;
        node["runs"] = f.Points;
        node["starts"] = f.Starts;
        return node;
    }

    internal static JsonObject ToJson(ChinchillaFitResult r)
    {
        var b = r.Bootstrap;
        var ci = new JsonObject();
        for (int k = 0; k < 5; k++) ci[ChinchillaLaw.ParameterNames[k]] = new JsonArray(b.Parameters[k].Low, b.Parameters[k].High);
        ci["nOptExponent"] = new JsonArray(b.NExponent.Low, b.NExponent.High);
        var h = r.HeldOut;
        return new JsonObject
        {
            ["law"] = "L(N, D) = E + A N^-alpha + B D^-beta",
            ["procedure"] = "Huber (delta 1e-3) on ln L_hat - ln L, BFGS from every start of a grid (Besiroglu et al. 2024)",
            ["grid"] = r.GridName,
            ["chinchilla"] = new JsonObject
            {
                ["runs"] = r.Runs,
                ["excludedHighestLoss"] = r.Excluded,
                ["fit"] = FitJson(r.Fit),
                ["bootstrap"] = new JsonObject { ["resamples"] = b.Resamples, ["seed"] = b.Seed, ["level"] = b.Level, ["intervals"] = ci },
                ["besiroglu2024"] = LawJson(ChinchillaLaw.Besiroglu),
                ["hoffmann2022"] = LawJson(ChinchillaLaw.Hoffmann),
            },
            ["heldOut"] = new JsonObject
            {
                ["trainFraction"] = h.TrainFraction, ["train"] = h.Train, ["test"] = h.Test, ["flopThreshold"] = h.FlopThreshold,
                ["fit"] = FitJson(h.Fit),
                ["meanRelError"] = h.MeanRelError, ["maxRelError"] = h.MaxRelError,
                ["besiroglu2024"] = new JsonObject { ["meanRelError"] = h.BesirogluMean, ["maxRelError"] = h.BesirogluMax, ["note"] = "fitted on all runs, test runs included" },
                ["hoffmann2022"] = new JsonObject { ["meanRelError"] = h.HoffmannMean, ["maxRelError"] = h.HoffmannMax },
            },
            ["porian"] = new JsonArray([.. r.Porian.Select(p => (JsonNode)new JsonObject
            {
                ["configuration"] = p.Configuration, ["runs"] = p.Points, ["budgets"] = p.Budgets,
                ["fit"] = p.Fit is null ? null : FitJson(p.Fit),
                ["optimaExponent"] = Json.Number(p.OptimaExponent), ["optima"] = p.Optima,
                ["skipped"] = p.SkipReason,
            })]),
        };
    }

    private static void Print(CliIo io, ChinchillaFitResult r)
    {
        var console = io.Table();
        var b = r.Bootstrap;
        var t = new Table().Border(TableBorder.Rounded)
            .Title(Markup.Escape($"Chinchilla L(N, D) on {r.Runs} runs ({r.Excluded} highest-loss excluded): Huber(1e-3) on log-residuals, grid {r.GridName}; {b.Level:P0} bootstrap intervals ({b.Resamples} resamples, seed {b.Seed})"))
            .AddColumn("parameter").AddColumn(new TableColumn("fit").RightAligned()).AddColumn(new TableColumn("interval").RightAligned())
            .AddColumn(new TableColumn("Besiroglu 2024").RightAligned()).AddColumn(new TableColumn("Hoffmann 2022").RightAligned());
        var fit = r.Fit.Law.ToArray();
        var bes = ChinchillaLaw.Besiroglu.ToArray();
        var hof = ChinchillaLaw.Hoffmann.ToArray();
        for (int k = 0; k < 5; k++)
            t.AddRow(ChinchillaLaw.ParameterNames[k], Format.G(fit[k]), Markup.Escape($"[{Format.G(b.Parameters[k].Low)}, {Format.G(b.Parameters[k].High)}]"), Format.G(bes[k]), Format.G(hof[k]));
        t.AddRow("N_opt exponent b/(a+b)", Format.G(r.Fit.Law.NExponent, 3), Markup.Escape($"[{Format.G(b.NExponent.Low, 3)}, {Format.G(b.NExponent.High, 3)}]"), Format.G(ChinchillaLaw.Besiroglu.NExponent, 3), Format.G(ChinchillaLaw.Hoffmann.NExponent, 3));
        console.Write(t);
        console.MarkupLine(Markup.Escape($"RMS log-residual {Format.G(r.Fit.RmsLogResidual, 3)}; Huber objective {Format.G(r.Fit.Objective, 4)}."));

        var h = r.HeldOut;
        var ht = new Table().Border(TableBorder.Rounded)
            .Title(Markup.Escape($"Held out: fit on the {h.Train} runs with the least FLOP (<= {h.FlopThreshold.ToString("G3", CultureInfo.InvariantCulture)}), predict the other {h.Test}"))
            .AddColumn("law").AddColumn(new TableColumn("mean |rel. error|").RightAligned()).AddColumn(new TableColumn("max |rel. error|").RightAligned())
            .AddColumn(new TableColumn("alpha").RightAligned()).AddColumn(new TableColumn("beta").RightAligned());
        ht.AddRow("our fit (train runs only)", Format.Percent(h.MeanRelError, 2), Format.Percent(h.MaxRelError, 2), Format.G(h.Fit.Law.Alpha, 3), Format.G(h.Fit.Law.Beta, 3));
        ht.AddRow("Besiroglu 2024 (fitted on all runs)", Format.Percent(h.BesirogluMean, 2), Format.Percent(h.BesirogluMax, 2), Format.G(ChinchillaLaw.Besiroglu.Alpha, 3), Format.G(ChinchillaLaw.Besiroglu.Beta, 3));
        ht.AddRow("Hoffmann 2022", Format.Percent(h.HoffmannMean, 2), Format.Percent(h.HoffmannMax, 2), Format.G(ChinchillaLaw.Hoffmann.Alpha, 3), Format.G(ChinchillaLaw.Hoffmann.Beta, 3));
        console.Write(ht);

        var pt = new Table().Border(TableBorder.Rounded)
            .Title(Markup.Escape("Porian et al. 2024: L(N, D) per configuration (dataset/hparams/warmup/decay/param_count/loss_split)"))
            .AddColumn("configuration").AddColumn(new TableColumn("runs").RightAligned()).AddColumn(new TableColumn("alpha").RightAligned()).AddColumn(new TableColumn("beta").RightAligned())
            .AddColumn(new TableColumn("E").RightAligned()).AddColumn(new TableColumn("N_opt exp. (fit)").RightAligned()).AddColumn(new TableColumn("N_opt exp. (their optima)").RightAligned()).AddColumn(new TableColumn("RMS log-res.").RightAligned());
        foreach (var p in r.Porian)
        {
            string opt = double.IsFinite(p.OptimaExponent) ? Format.G(p.OptimaExponent, 3) : "-";
            if (p.Fit is null) pt.AddRow(Markup.Escape(p.Configuration), p.Points.ToString(CultureInfo.InvariantCulture), "skipped", Markup.Escape(p.SkipReason ?? ""), "", "", opt, "");
            else pt.AddRow(Markup.Escape(p.Configuration), p.Points.ToString(CultureInfo.InvariantCulture), Format.G(p.Fit.Law.Alpha, 3), Format.G(p.Fit.Law.Beta, 3), Format.G(p.Fit.Law.E, 3), Format.G(p.Fit.Law.NExponent, 3), opt, Format.G(p.Fit.RmsLogResidual, 3));
        }
        console.Write(pt);
        console.MarkupLine(Markup.Escape("N_opt exponent (fit) = beta/(alpha+beta) of the fitted law; (their optima) = slope of ln n_opt on ln C through Porian et al.'s interpolated iso-FLOP optima. Porian et al.: Kaplan-like setups give ~0.88, careful warmup/decay/tuning moves it toward Chinchilla's ~0.5."));
    }
}
