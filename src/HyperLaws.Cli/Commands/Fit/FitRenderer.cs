using System.Text.Json.Nodes;
using HyperLaws.Cli.Output;
using Spectre.Console;

namespace HyperLaws.Cli.Commands.Fit;

/// <summary>A fit as LAW.json (the file), then a console table or one JSON object.</summary>
internal static class FitRenderer
{
    /// <summary>Writes LAW.json atomically.</summary>
    public static void WriteFile(FitSettings settings, FitResult result) => Files.WriteAtomic(settings.OutPath, result.Document.ToJson());

    public static void Write(CliIo io, FitSettings settings, FitResult result)
    {
        ResultOutput.Write(io, settings.Json, () => ToJson(settings, result), () => Table(io, settings, result));
    }

    public static JsonObject ToJson(FitSettings settings, FitResult result)
    {
        var node = JsonNode.Parse(result.Document.ToJson())!.AsObject();
        node["out"] = settings.OutPath;
        if (result.Uncertainty is not null)
        {
            node.Remove("bootstrap");   // the samples stay in the law file; stdout gets their summary
            node["uncertainty"] = BootstrapCli.ToJson(result.Uncertainty);
        }
        node["unidentified"] = HyperLaws.Fitting.IdentificationJson.Write(result.Document.Unidentified);   // always present on stdout (LAW.json: only when not empty)
        node["stall"] = HyperLaws.Fitting.CurveStallJson.Write(result.Stalls);   // every fitted curve's check on stdout (LAW.json: the stalled ones)
        // The poor-fit note of stderr (in-sample PredE above 10%, or L0 < 0) too: a --json user gets no stderr notes.
        string? poor = FitHandler.PoorFitNote(result.Fit, result.PerRun);
        node["warnings"] = Json.Strings([.. result.Document.Unidentified.Select(t => t.Describe()), .. result.Stalls.Select(s => StallHoldOptions.FitDescribe(s, result.Fit.Law.Name, result.Document.Runs.Count)).OfType<string>(),
            .. poor is null ? Array.Empty<string>() : [poor["note: ".Length..]]]);
        node["training"] = new JsonArray([.. result.PerRun.Select(p => (JsonNode)new JsonObject { ["run"] = p.Name, ["predE"] = p.Metrics.PredE, ["worstE"] = p.Metrics.WorstE, ["r2"] = Json.Number(p.Metrics.RSquared) })]);
        return node;
    }

    public static void Table(CliIo io, FitSettings settings, FitResult result)
    {
        var (fit, uncertainty) = (result.Fit, result.Uncertainty);
        var console = io.Table();
        var table = new Table().Border(TableBorder.Rounded).Title($"{fit.Law.Name} fitted on {result.Curves} run(s)").AddColumn("parameter").AddColumn(new TableColumn("value").RightAligned());
        if (uncertainty is null)
            for (int i = 0; i < fit.Parameters.Length; i++) table.AddRow(Markup.Escape(fit.Law.ParameterNames[i]), Format.G(fit.Parameters[i], 6));
        else
            BootstrapCli.AddColumns(table, uncertainty);
        console.Write(table);
        if (uncertainty is not null) console.MarkupLine(Markup.Escape(BootstrapCli.Describe(uncertainty)));
        foreach (var (name, m) in result.PerRun) console.MarkupLine(Markup.Escape($"{name}: in-sample PredE {Format.Percent(m.PredE)}, WorstE {Format.Percent(m.WorstE)}"));
        console.MarkupLine(Markup.Escape($"written: {settings.OutPath}"));
    }
}
