using System.Globalization;
using System.Text.Json.Nodes;
using HyperLaws.Cli.Output;
using HyperLaws.SizeLaws;
using HyperLaws.Validation;
using Spectre.Console;

namespace HyperLaws.Cli.Commands.SizeLaw;

/// <summary>The Chinchilla fit's result as a console table or one JSON object.</summary>
internal static class SizeLawRenderer
{
    public static void Write(CliIo io, ChinchillaFitResult result, bool json)
    {
        ResultOutput.Write(io, json, () => ToJson(result), () => Print(io, result));
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

    public static void Print(CliIo io, ChinchillaFitResult r)
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
