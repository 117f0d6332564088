using System.Text.Json.Nodes;
using HyperLaws.Cli.Output;
using HyperLaws.Fitting;
using HyperLaws.Validation;
using Spectre.Console;

namespace HyperLaws.Cli.Commands.Validate;

/// <summary>
/// Tables and JSON of <c>hyperlaws validate --protocol 1 --intervals</c> (<see cref="BootstrapIntervalScoreboard"/>): calibration
/// of bootstrap prediction intervals on the MPL split (<see cref="Calibration"/>), the share of held-out points and final losses inside.
/// </summary>
internal sealed class BootstrapIntervalRenderer : IResultRenderer<BootstrapIntervalScoreboard>
{
    /// <summary>The renderer (stateless).</summary>
    public static readonly BootstrapIntervalRenderer Instance = new();

    /// <inheritdoc/>
    public JsonNode ToJson(BootstrapIntervalScoreboard scoreboard) => new JsonObject
    {
        ["protocol"] = 1,
        ["intervals"] = new JsonObject { ["level"] = scoreboard.Level, ["replicates"] = scoreboard.Replicates, ["seed"] = scoreboard.Seed },
        ["results"] = new JsonArray([.. scoreboard.Sizes.Select(r => (JsonNode)new JsonObject
        {
            ["size"] = r.Size + "M",
            ["laws"] = new JsonArray([.. r.Laws.Select(l => (JsonNode)ToJson(l))]),
        })]),
    };

    /// <inheritdoc/>
    public void WriteTable(CliIo io, BootstrapIntervalScoreboard scoreboard)
    {
        foreach (var r in scoreboard.Sizes) Print(io, r);
    }

    private static JsonObject Summary(CoverageSummary s) => new()
    {
        ["points"] = s.Points,
        ["inside"] = s.Inside,
        ["below"] = s.Below,
        ["above"] = s.Above,
        ["finals"] = s.Finals,
        ["finalsInside"] = s.FinalsInside,
        ["meanRelativeWidth"] = Json.Number(s.MeanRelativeWidth),
    };

    private static JsonObject ToJson(LawCalibration l) => new()
    {
        ["name"] = l.Law,
        ["scheme"] = LawBootstrap.SchemeName(l.Scheme),
        ["replicates"] = l.Replicates,
        ["failed"] = l.Failed,
        ["level"] = l.Level,
        ["train"] = Summary(l.Train),
        ["test"] = Summary(l.Test),
        ["curves"] = new JsonArray([.. l.TestCurves.Select(c => (JsonNode)new JsonObject
        {
            ["run"] = c.Run,
            ["points"] = c.Points,
            ["inside"] = c.Inside,
            ["below"] = c.Below,
            ["above"] = c.Above,
            ["meanRelativeWidth"] = Json.Number(c.MeanRelativeWidth),
            ["final"] = new JsonObject
            {
                ["step"] = c.FinalStep,
                ["loss"] = c.FinalLoss,
                ["predicted"] = Json.Number(c.FinalPredicted),
                ["lower"] = Json.Number(c.FinalLower),
                ["upper"] = Json.Number(c.FinalUpper),
                ["inside"] = c.FinalInside,
            },
        })]),
        ["seconds"] = l.Seconds,
    };

    private static void Print(CliIo io, CalibrationResult result)
    {
        var console = io.Table();
        string pct = Format.Percent(result.Level, 0);
        var table = new Table().Border(TableBorder.Rounded)
            .Title($"Protocol 1, {result.Size}M: {pct} prediction intervals from the training curves; coverage of the six test curves")
            .AddColumn("law").AddColumn("bootstrap").AddColumn(new TableColumn("train points in").RightAligned())
            .AddColumn(new TableColumn("test points in").RightAligned()).AddColumn(new TableColumn("below").RightAligned()).AddColumn(new TableColumn("above").RightAligned())
            .AddColumn(new TableColumn("final losses in").RightAligned()).AddColumn(new TableColumn("mean width").RightAligned());
        foreach (var l in result.Laws)
            table.AddRow(l.Law, $"{l.Replicates} {LawBootstrap.SchemeName(l.Scheme)}" + (l.Failed > 0 ? $" ({l.Failed} failed)" : ""),
                Format.Percent(l.Train.Inside, 1), Format.Percent(l.Test.Inside, 1), Format.Percent(l.Test.Below, 1), Format.Percent(l.Test.Above, 1),
                $"{Math.Round(l.Test.FinalsInside * l.Test.Finals)}/{l.Test.Finals}", Format.Percent(l.Test.MeanRelativeWidth, 2));
        console.Write(table);
    }
}
