using System.Text.Json.Nodes;
using HyperLaws.Cli.Output;
using HyperLaws.Divergence;
using Spectre.Console;

namespace HyperLaws.Cli.Commands;

/// <summary>
/// <c>diverge --score DIV.json --runs TABLE...</c>: a saved divergence predictor scored on labelled runs it was not
/// fitted on (labels as for --fit: a sweep table by the 2x rule, run files by the readers' mark). Nothing is refitted;
/// the model is used through <see cref="DivergenceFitting.Score"/> only.
/// </summary>
internal static class DivergeScore
{
    public static int Run(CliIo io, string modelPath, DivergenceModel model, IReadOnlyList<DivergenceExample> examples, IReadOnlyList<string> sources, bool json)
    {
        if (examples.Count == 0) throw new UserInputException($"--runs: no labelled runs in {string.Join(", ", sources)}.");
        var scores = UserInputException.Guard(() => DivergenceFitting.Score(model, examples));
        int diverged = examples.Count(x => x.Diverged);
        if (json)
        {
            io.Out.WriteLine(Json.Serialize(new JsonObject
            {
                ["model"] = Path.GetFullPath(modelPath),
                ["sources"] = Json.Strings(sources),
                ["runs"] = examples.Count, ["diverged"] = diverged, ["cells"] = examples.Select(x => x.Group).Distinct().Count(),
                ["predictor"] = "boundary",
                ["scores"] = Metrics(scores.Boundary),
            }));
            return 0;
        }
        var table = new Table().Border(TableBorder.Rounded)
            .Title(Markup.Escape($"{modelPath} on {examples.Count} runs ({diverged} diverged)"))
            .AddColumn("predictor").AddColumn(new TableColumn("precision").RightAligned()).AddColumn(new TableColumn("recall").RightAligned())
            .AddColumn(new TableColumn("F1").RightAligned()).AddColumn(new TableColumn("TP/FP/FN/TN").RightAligned());
        var m = scores.Boundary;
        table.AddRow("critical peak LR (eta_crit)", Ratio(m.Precision), Ratio(m.Recall), Ratio(m.F1), $"{m.TruePositives}/{m.FalsePositives}/{m.FalseNegatives}/{m.TrueNegatives}");
        io.Table().Write(table);
        return 0;
    }

    private static string Ratio(double x) => double.IsNaN(x) ? "n/a" : Format.G(x, 3);

    private static JsonObject Metrics(BinaryMetrics m) => new()
    {
        ["precision"] = Json.Number(m.Precision), ["recall"] = Json.Number(m.Recall), ["f1"] = Json.Number(m.F1), ["accuracy"] = Json.Number(m.Accuracy),
        ["truePositives"] = m.TruePositives, ["falsePositives"] = m.FalsePositives, ["falseNegatives"] = m.FalseNegatives, ["trueNegatives"] = m.TrueNegatives,
    };
}
