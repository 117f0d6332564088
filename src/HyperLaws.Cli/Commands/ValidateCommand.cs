using System.CommandLine;
using System.Text.Json.Nodes;
using HyperLaws.Cli.Options;
using HyperLaws.Cli.Output;
using HyperLaws.Evaluation;
using HyperLaws.Fitting;
using HyperLaws.Laws;
using HyperLaws.Readers;
using Spectre.Console;

namespace HyperLaws.Cli.Commands;

/// <summary>
/// <c>hyperlaws validate</c>: the protocols of ../shared/docs/validation.md on a data folder laid out
/// like shared/data. Protocol 1 (the MPL split): per model size, fit on cosine_24000, constant_24000
/// and wsdcon_9, predict the other six curves at their logged steps (the point at step 24000 of
/// 24000-step runs dropped), next to the published MPL figures.
/// </summary>
internal static class ValidateCommand
{
    private static readonly string[] Train = ["cosine_24000", "constant_24000", "wsdcon_9"];
    private static readonly string[] Test = ["constant_72000", "cosine_72000", "wsd_20000_24000", "wsdld_20000_24000", "wsdcon_3", "wsdcon_18"];

    /// <summary>Published MPL results (Luo et al. 2025): PredE, WorstE, R^2 per size.</summary>
    private static readonly Dictionary<string, (double PredE, double WorstE, double R2)> Published = new()
    {
        ["25"] = (0.00110, 0.0041, 0.9988),
        ["100"] = (0.00142, 0.0058, 0.9983),
        ["400"] = (0.00168, 0.0100, 0.9978),
    };

    public static Command Create(CliIo io)
    {
        var data = new Option<string>("--data") { Description = "Folder laid out like shared/data (needs MultiPowerLaw/loss_curve_repo/csv_{25,100,400}); default: the repository's data/.", DefaultValueFactory = _ => "data", HelpName = "DIR" };
        var protocol = new Option<int>("--protocol") { Description = "Protocol to run (1: the MPL split).", DefaultValueFactory = _ => 1, HelpName = "N" };
        var laws = new Option<string>("--laws") { Description = "Comma list of laws (default: all).", HelpName = "LIST" };
        var sizes = new Option<string>("--sizes") { Description = "Model sizes to run (default 25,100,400).", DefaultValueFactory = _ => "25,100,400", HelpName = "LIST" };
        var json = CliOptions.Json();
        var quiet = CliOptions.Quiet();
        var command = new Command("validate", "Run a validation protocol on public training runs and print the scoreboard next to the published numbers.");
        foreach (var o in new Option[] { data, protocol, laws, sizes, json, quiet }) command.Options.Add(o);

        command.SetAction(r =>
        {
            if (r.GetValue(protocol) != 1) throw new UserInputException($"--protocol {r.GetValue(protocol)} is not available yet (available: 1).");
            var lawNames = LawRuns.ParseLaws(r.GetValue(laws));
            var sizeList = r.GetValue(sizes)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (sizeList.Length == 0) throw new UserInputException("--sizes: no size given (known: 25, 100, 400).");
            foreach (var s in sizeList)
                if (!Published.ContainsKey(s)) throw new UserInputException($"--sizes: unknown size '{s}' (known: 25, 100, 400).");
            string root = Path.Combine(r.GetValue(data)!, "MultiPowerLaw", "loss_curve_repo");
            if (!Directory.Exists(root)) throw new UserInputException($"{root}: not found (give --data, a folder laid out like shared/data).");
            bool silent = r.GetValue(quiet) || r.GetValue(json);

            var results = new JsonArray();
            foreach (string size in sizeList)
            {
                var train = Train.Select(n => Target(root, size, n)).ToList();
                var test = Test.Select(n => Target(root, size, n)).ToList();
                var scores = new List<(string Name, LawScore Score)>();
                foreach (string name in lawNames)
                {
                    if (!silent) io.Err.WriteLine($"validate: {size}M, fitting {name} ...");
                    var started = System.Diagnostics.Stopwatch.StartNew();
                    var score = LawComparison.Score(LawCatalog.Create(name), train, test);
                    if (!silent) io.Err.WriteLine($"validate: {size}M, {name} done in {started.Elapsed.TotalSeconds:F1} s");
                    scores.Add((name, score));
                }
                var p = Published[size];
                results.Add(new JsonObject
                {
                    ["size"] = size + "M",
                    ["published"] = new JsonObject { ["law"] = "mpl", ["predE"] = p.PredE, ["worstE"] = p.WorstE, ["r2"] = p.R2 },
                    ["laws"] = new JsonArray([.. scores.Select(s => (JsonNode)CompareCommand.ToJson(s.Name, s.Score, test))]),
                });
                if (!r.GetValue(json))
                {
                    CompareCommand.Print(io, scores, $"Protocol 1, {size}M: fit on {string.Join(", ", Train)}; predict the other six");
                    io.Table().MarkupLine(Markup.Escape($"published MPL ({size}M): PredE {Format.Percent(p.PredE)}, WorstE {Format.Percent(p.WorstE, 2)}, R^2 {p.R2:F4}"));
                }
            }
            if (r.GetValue(json)) io.Out.WriteLine(Json.Serialize(new JsonObject { ["protocol"] = 1, ["results"] = results }));
            return 0;
        });
        return command;
    }

    private static FitTarget Target(string root, string size, string name)
    {
        string path = Path.Combine(root, "csv_" + size, name + ".csv");
        if (!File.Exists(path)) throw new UserInputException($"{path}: missing (protocol 1 needs all nine schedules per size).");
        try
        {
            var run = MplCsvReader.Read(path);
            return LawRuns.Target(run, dropFrom: run.Steps == 24000 ? 24000 : int.MaxValue);
        }
        catch (FormatException e)
        {
            throw new UserInputException(e.Message);
        }
    }
}
