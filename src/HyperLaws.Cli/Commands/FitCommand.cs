using System.CommandLine;
using System.Text.Json.Nodes;
using HyperLaws.Cli.Options;
using HyperLaws.Cli.Output;
using HyperLaws.Evaluation;
using HyperLaws.Fitting;
using HyperLaws.Laws;
using HyperLaws.Runs;
using Spectre.Console;

namespace HyperLaws.Cli.Commands;

/// <summary><c>hyperlaws fit</c>: fit one schedule-to-loss law on runs and save it as LAW.json.</summary>
internal static class FitCommand
{
    public static Command Create(CliIo io)
    {
        var law = new Option<string>("--law") { Description = "Law to fit: " + string.Join(", ", LawCatalog.All) + ".", Required = true, HelpName = string.Join('|', LawCatalog.All) };
        law.AcceptOnlyFromAmong([.. LawCatalog.All]);
        var runs = new Option<string[]>("--runs") { Description = "Run files or folders (MPL CSV, W&B JSON, generic CSV/JSONL, TensorBoard events).", Required = true, AllowMultipleArgumentsPerToken = true, HelpName = "FILE" };
        var output = new Option<string>("--out") { Description = "Where to write the fitted law (JSON).", Required = true, HelpName = "LAW.json" };
        var validation = CliOptions.Flag("--validation", "Fit the validation losses instead of the training losses.");
        var bootstrap = BootstrapCli.Replicates();
        var scheme = BootstrapCli.Scheme();
        var seed = BootstrapCli.Seed();
        var level = BootstrapCli.Level("Level of the parameters' percentile intervals (default 0.9); needs --bootstrap.");
        var acrossSizes = CliOptions.Flag("--across-sizes", "Fit one law across model sizes (runs of at least two sizes with known parameter counts): L0 = E + b (N/Nref)^-0.34, every other positive parameter p_ref (N/Nref)^e_p; 'predict --params N' then predicts any size.");
        var json = CliOptions.Json();
        var quiet = CliOptions.Quiet();
        var command = new Command("fit", "Fit a schedule-to-loss law (OptLaw, MPL, LR-annealing, convex bound) on training runs; writes LAW.json.");
        foreach (var o in new Option[] { law, runs, output, validation, bootstrap, scheme, seed, level, acrossSizes, json, quiet }) command.Options.Add(o);
        command.Validators.Add(BootstrapCli.NeedsReplicates(bootstrap, scheme, seed, level));

        command.SetAction(r =>
        {
            var split = r.GetValue(validation) ? LossSplit.Validation : LossSplit.Train;
            var loaded = LawRuns.Load(r.GetValue(runs)!);
            var usable = LawRuns.WithoutDiverged(loaded);
            bool quietOrJson = r.GetValue(quiet) || r.GetValue(json);
            foreach (var d in loaded.Where(x => x.Diverged))
                if (!quietOrJson) io.Err.WriteLine($"note: {LawRuns.Describe(d)} diverged; left out of the fit");
            var targets = usable.Select(x => LawRuns.Target(x, split)).ToList();
            var fittable = LawCatalog.Create(r.GetValue(law)!);
            if (r.GetValue(acrossSizes)) fittable = AcrossSizes(fittable, usable, targets);
            var bootstrapOptions = r.GetValue(bootstrap) is int replicates ? BootstrapCli.From(r, replicates, scheme, seed, level) : null;
            if (bootstrapOptions is not null && r.GetValue(acrossSizes)) throw new UserInputException("--bootstrap cannot be combined with --across-sizes yet (the intervals would need the model size).");
            if (bootstrapOptions is not null) UserInputException.Guard(() => LawBootstrap.Check(bootstrapOptions, targets.Count));
            var fit = LawRuns.Fit(io, fittable, targets, quietOrJson);
            var runNames = usable.Select(LawRuns.RecordedPath);
            var uncertainty = bootstrapOptions is null ? null : BootstrapCli.Run(io, fittable, targets, fit, bootstrapOptions, quietOrJson);
            var doc = uncertainty is null ? FittedLawDocument.From(fit, runNames) : FittedLawDocument.From(uncertainty, runNames);
            string path = r.GetValue(output)!;
            Files.WriteAtomic(path, doc.ToJson());

            var perRun = targets.Select(t => (t.Name, Metrics: CurveMetrics.Of(t.Loss, fit.Predict(t.History, t.Steps, t.ModelSize)))).ToList();
            if (r.GetValue(json))
            {
                var node = JsonNode.Parse(doc.ToJson())!.AsObject();
                node["out"] = path;
                if (uncertainty is not null)
                {
                    node.Remove("bootstrap");   // the samples stay in the law file; stdout gets their summary
                    node["uncertainty"] = BootstrapCli.ToJson(uncertainty);
                }
                node["training"] = new JsonArray([.. perRun.Select(p => (JsonNode)new JsonObject { ["run"] = p.Name, ["predE"] = p.Metrics.PredE, ["worstE"] = p.Metrics.WorstE, ["r2"] = Json.Number(p.Metrics.RSquared) })]);
                io.Out.WriteLine(Json.Serialize(node));
                return 0;
            }
            var console = io.Table();
            var table = new Table().Border(TableBorder.Rounded).Title($"{fit.Law.Name} fitted on {targets.Count} run(s)").AddColumn("parameter").AddColumn(new TableColumn("value").RightAligned());
            if (uncertainty is null)
                for (int i = 0; i < fit.Parameters.Length; i++) table.AddRow(Markup.Escape(fit.Law.ParameterNames[i]), Format.G(fit.Parameters[i], 6));
            else
                BootstrapCli.AddColumns(table, uncertainty);
            console.Write(table);
            if (uncertainty is not null) console.MarkupLine(Markup.Escape(BootstrapCli.Describe(uncertainty)));
            foreach (var (name, m) in perRun) console.MarkupLine(Markup.Escape($"{name}: in-sample PredE {Format.Percent(m.PredE)}, WorstE {Format.Percent(m.WorstE)}"));
            console.MarkupLine(Markup.Escape($"written: {path}"));
            return 0;
        });
        return command;
    }

    /// <summary>The law across sizes (the headline size law of validation protocol 2, N_ref the geometric mean of the runs' sizes).</summary>
    private static SizedLaw AcrossSizes(IFittableLaw law, IReadOnlyList<TrainingRun> runs, IReadOnlyList<FitTarget> targets)
    {
        foreach (var run in runs)
            if (!(run.Metadata.Parameters is > 0))
                throw new UserInputException($"--across-sizes: {run.Metadata.Source ?? run.Name}: the model size (parameter count) is unknown, so it cannot be placed on the size law.");
        return UserInputException.Guard(() => SizedLaw.Create(law, new SizeLawSpec(SizeLawSpec.CentreOf(targets))));
    }
}
