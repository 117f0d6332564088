using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using HyperLaws.Cli.Options;
using HyperLaws.Cli.Output;
using HyperLaws.Readers;
using HyperLaws.SizeLaws;
using HyperLaws.Validation;
using Spectre.Console;

namespace HyperLaws.Cli.Commands.SizeLaw;

/// <summary>
/// <c>size-law --table RUNS.csv</c>: the Chinchilla law L(N, D) = E + A N^-alpha + B D^-beta fitted on the user's own
/// (N, D, loss) table with an explicit split: the runs with the most training compute (6 N D), a fraction
/// <c>--held-out</c>, are left out of the fit and predicted (Besiroglu et al. 2024's procedure, as for the Chinchilla runs);
/// <c>--out SIZE.json</c> keeps the law. <c>size-law --law SIZE.json --predict N:D,...</c> predicts losses, flagging
/// (N, D) outside the fitted runs' range.
/// </summary>
internal static class SizeLawTable
{
    public const string Kind = "hyperlaws-size-law";

    public static int Fit(CliIo io, string tablePath, double heldOut, string? outPath, bool json, Action<string>? progress)
    {
        if (!File.Exists(tablePath)) throw new UserInputException($"{tablePath}: no such file.");
        if (!(heldOut > 0 && heldOut < 1)) throw new UserInputException($"--held-out: must be a fraction in (0, 1), found {Format.G(heldOut)}.");
        IReadOnlyList<ScalingPoint> runs;
        try
        {
            runs = SizeTableReader.Read(tablePath);
        }
        catch (FormatException e)
        {
            throw new UserInputException(e.Message);
        }
        int nFit = (int)Math.Round((1 - heldOut) * runs.Count), nHeld = runs.Count - nFit;
        if (nFit < 6 || nHeld < 1)
            throw new UserInputException($"{tablePath}: --held-out {Format.G(heldOut)} of {runs.Count} runs leaves {nFit} to fit and {nHeld} to hold out: the 5-parameter law needs at least 6 runs to fit and 1 held out.");
        progress?.Invoke($"{runs.Count} runs; fitting on the {1 - heldOut:P0} with the least compute, predicting the rest");
        var result = UserInputException.Guard(() => ChinchillaFitValidation.HeldOut(runs, 1 - heldOut));
        var law = result.Fit.Law;
        var fitted = runs.OrderBy(r => r.Flops).Take(result.Train).ToList();
        var range = new JsonObject
        {
            ["minN"] = fitted.Min(r => r.N), ["maxN"] = fitted.Max(r => r.N), ["minD"] = fitted.Min(r => r.D), ["maxD"] = fitted.Max(r => r.D),
            ["maxFlops"] = result.FlopThreshold,
        };
        var doc = new JsonObject
        {
            ["kind"] = Kind,
            ["law"] = "L(N, D) = E + A N^-alpha + B D^-beta",
            ["E"] = law.E, ["A"] = law.A, ["B"] = law.B, ["alpha"] = law.Alpha, ["beta"] = law.Beta,
            ["procedure"] = "Huber (delta 1e-3) on ln L_hat - ln L, BFGS from every start of a grid (Besiroglu et al. 2024)",
            ["table"] = Path.GetFullPath(tablePath),
            ["split"] = new JsonObject
            {
                ["rule"] = "the runs with the most training compute (6 N D) held out",
                ["heldOutFraction"] = heldOut, ["fit"] = result.Train, ["heldOut"] = result.Test, ["fitMaxFlops"] = result.FlopThreshold,
                ["heldOutMeanRelError"] = result.MeanRelError, ["heldOutMaxRelError"] = result.MaxRelError,
            },
            ["range"] = range,
            ["rmsLogResidual"] = result.Fit.RmsLogResidual,
        };
        if (outPath is not null) ResultOutput.WriteJsonFile(outPath, doc);
        if (json)
        {
            doc["out"] = outPath;
            ResultOutput.WriteJson(io, doc);
            return 0;
        }
        var console = io.Table();
        var t = new Table().Border(TableBorder.Rounded).Title(Markup.Escape($"L(N, D) fitted on {result.Train} of {runs.Count} runs of {tablePath}"))
            .AddColumn("parameter").AddColumn(new TableColumn("value").RightAligned());
        foreach (var (name, v) in ChinchillaLaw.ParameterNames.Zip(law.ToArray())) t.AddRow(name, Format.G(v, 5));
        console.Write(t);
        console.MarkupLine(Markup.Escape($"held out: the {result.Test} runs with the most compute (above {Format.G(result.FlopThreshold, 3)} FLOP): mean relative error {Format.Percent(result.MeanRelError)}, max {Format.Percent(result.MaxRelError)}"));
        if (outPath is not null) console.MarkupLine(Markup.Escape($"written: {outPath}"));
        return 0;
    }

    /// <summary>The --predict points: N:D pairs separated by commas, both positive and finite (N at most 1e16, D at most 1e30).</summary>
    public static List<(double N, double D)> Points(string text)
    {
        var points = new List<(double N, double D)>();
        foreach (string item in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = item.Split(':');
            if (parts.Length != 2 || !Quantity.TryParse(parts[0], out double n) || !Quantity.TryParse(parts[1], out double d) || !(n > 0 && n <= Options.CliOptions.MaxModelSize) || !(d > 0 && d <= 1e30))
                throw new UserInputException($"--predict: '{ErrorText.Echo(item)}' is not N:D with positive numbers (e.g. 1.3B:26B; N at most 1e16, D at most 1e30).");
            points.Add((n, d));
        }
        if (points.Count == 0) throw new UserInputException("--predict: no N:D pairs given.");
        return points;
    }

    public static int Predict(CliIo io, string lawPath, IReadOnlyList<(double N, double D)>? points, bool json)
    {
        if (points is null) throw new UserInputException("--law needs --predict N:D[,N:D...] (e.g. 1.3B:26B).");
        JsonObject doc;
        try
        {
            doc = JsonNode.Parse(DocumentFile.ReadAllText(lawPath), null, new JsonDocumentOptions { AllowDuplicateProperties = false }) as JsonObject ?? throw new FormatException("not a JSON object.");
            if ((string?)doc["kind"] != Kind) throw new FormatException($"not a size law (expected \"kind\": \"{Kind}\", written by 'hyperlaws size-law --table ... --out').");
        }
        catch (Exception e) when (e is FormatException or JsonException or IOException or UnauthorizedAccessException)
        {
            throw new UserInputException($"{lawPath}: {e.Message}");
        }
        double Get(JsonNode? parent, string name)
        {
            try
            {
                return parent?[name]?.GetValue<double>() is { } v && double.IsFinite(v) ? v : throw new FormatException($"missing or bad \"{name}\".");
            }
            catch (Exception e) when (e is InvalidOperationException or FormatException)
            {
                throw new UserInputException($"{lawPath}: {e.Message}");
            }
        }
        var law = new ChinchillaLaw(Get(doc, "E"), Get(doc, "A"), Get(doc, "B"), Get(doc, "alpha"), Get(doc, "beta"));
        var range = doc["range"];
        double minN = Get(range, "minN"), maxN = Get(range, "maxN"), minD = Get(range, "minD"), maxD = Get(range, "maxD");
        var rows = new List<(double N, double D, double Loss, string? Outside)>();
        foreach (var (n, d) in points)
        {
            var outside = new List<string>();
            if (n < minN || n > maxN) outside.Add("N");
            if (d < minD || d > maxD) outside.Add("D");
            rows.Add((n, d, law.Loss(n, d), outside.Count == 0 ? null : $"{string.Join(" and ", outside)} outside the fitted runs"));
        }
        if (json)
        {
            ResultOutput.WriteJson(io, new JsonObject
            {
                ["law"] = Path.GetFullPath(lawPath),
                ["predictions"] = new JsonArray([.. rows.Select(r => (JsonNode)new JsonObject { ["n"] = r.N, ["d"] = r.D, ["loss"] = r.Loss, ["extrapolated"] = r.Outside })]),
            });
            return 0;
        }
        var t = new Table().Border(TableBorder.Rounded).Title(Markup.Escape($"L(N, D) from {lawPath}"))
            .AddColumn(new TableColumn("N").RightAligned()).AddColumn(new TableColumn("D").RightAligned()).AddColumn(new TableColumn("loss").RightAligned()).AddColumn("note");
        foreach (var r in rows) t.AddRow(Format.Count(r.N, 3), Format.Count(r.D, 3), r.Loss.ToString("0.0000", CultureInfo.InvariantCulture), Markup.Escape(r.Outside ?? ""));
        io.Table().Write(t);
        return 0;
    }
}
