using System.CommandLine;
using System.Text.Json.Nodes;
using HyperLaws.Cli.Options;
using HyperLaws.Cli.Output;
using HyperLaws.Fitting;
using HyperLaws.Validation;
using Spectre.Console;

namespace HyperLaws.Cli.Commands;

/// <summary>
/// <c>hyperlaws validate --protocol 1 --intervals</c>: calibration of bootstrap prediction intervals on the
/// MPL split (<see cref="Calibration"/>): the share of held-out points and final losses inside the interval.
/// </summary>
internal static class IntervalValidation
{
    public sealed record IntervalOptions(Option<bool> Intervals, Option<int?> Replicates, Option<string> Scheme, Option<int?> Seed, Option<double?> Level)
    {
        public void AddTo(Command command)
        {
            foreach (var o in new Option[] { Intervals, Replicates, Scheme, Seed, Level }) command.Options.Add(o);
            command.Validators.Add(result =>
            {
                if (result.GetResult(Intervals) is { Implicit: false }) return;
                foreach (var o in new Option[] { Replicates, Scheme, Seed, Level })
                    if (result.GetResult(o) is { Implicit: false })
                    {
                        result.AddError($"{o.Name} needs --intervals.");
                        return;
                    }
            });
        }
    }

    public const int DefaultReplicates = 100;

    public static IntervalOptions Options() => new(
        CliOptions.Flag("--intervals", "Instead of the scoreboard: bootstrap each law on the training curves and report how many held-out points and final losses fall inside its prediction interval (protocol 1)."),
        BootstrapCli.Replicates($"Bootstrap replicates per law and size for --intervals (default {DefaultReplicates})."),
        BootstrapCli.Scheme(),
        BootstrapCli.Seed(),
        BootstrapCli.Level("Level of the prediction intervals for --intervals (default 0.9)."));

    public static int Run(CliIo io, ParseResult r, IntervalOptions o, int protocol, string data, IReadOnlyList<string> laws, string sizes, bool json, Action<string>? progress)
    {
        if (protocol != 1) throw new UserInputException($"--intervals: only protocol 1 (the MPL split) has interval calibration (got --protocol {protocol}).");
        var sizeList = sizes.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (sizeList.Length == 0) throw new UserInputException($"--sizes: no size given (known: {string.Join(", ", MplSplit.Sizes)}).");
        foreach (var s in sizeList)
            if (!MplSplit.Published.ContainsKey(s)) throw new UserInputException($"--sizes: unknown size '{s}' (known: {string.Join(", ", MplSplit.Sizes)}).");
        MplSplit.CurveFolder(data);
        var options = BootstrapCli.From(r, r.GetValue(o.Replicates) ?? DefaultReplicates, o.Scheme, o.Seed, o.Level);
        double level = options.Level;

        var results = new JsonArray();
        foreach (string size in sizeList)
        {
            var result = UserInputException.Guard(() => Calibration.Run(data, size, laws, options, level, progress));
            results.Add(new JsonObject { ["size"] = size + "M", ["laws"] = new JsonArray([.. result.Laws.Select(l => (JsonNode)ToJson(l))]) });
            if (!json) Print(io, result);
        }
        if (json)
            io.Out.WriteLine(Json.Serialize(new JsonObject
            {
                ["protocol"] = 1,
                ["intervals"] = new JsonObject { ["level"] = level, ["replicates"] = options.Replicates, ["seed"] = options.Seed },
                ["results"] = results,
            }));
        return 0;
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
