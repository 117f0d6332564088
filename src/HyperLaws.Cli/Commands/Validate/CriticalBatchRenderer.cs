using System.Globalization;
using System.Text.Json.Nodes;
using HyperLaws.Cli.Output;
using HyperLaws.Numerics;
using Spectre.Console;

namespace HyperLaws.Cli.Commands.Validate;

/// <summary>Tables and JSON of <c>hyperlaws validate --protocol 5</c> (<see cref="CriticalBatchScoreboard"/>).</summary>
internal sealed class CriticalBatchRenderer : IResultRenderer<CriticalBatchScoreboard>
{
    /// <summary>The renderer (stateless).</summary>
    public static readonly CriticalBatchRenderer Instance = new();

    private static JsonObject Law(PowerLawFit f) => new() { ["exponent"] = f.Exponent, ["standardError"] = f.ExponentStandardError, ["prefactor"] = f.Prefactor, ["rSquared"] = f.RSquared };

    /// <inheritdoc/>
    public JsonNode ToJson(CriticalBatchScoreboard scoreboard)
    {
        var result = scoreboard.Result;
        var bnoise = Law(result.InSize);
        bnoise["jackknifeMin"] = result.JackknifeMin;
        bnoise["jackknifeMax"] = result.JackknifeMax;
        return new JsonObject
        {
            ["protocol"] = 5,
            ["sizes"] = new JsonArray([.. result.Sizes.Select(s => (JsonNode)new JsonObject
            {
                ["model"] = s.Model, ["parameters"] = s.Parameters, ["points"] = s.Points, ["targetLoss"] = s.TargetLoss, ["horizonTokens"] = s.ChinchillaTokens,
                ["sMin"] = s.SMin, ["bNoiseTokens"] = s.BNoise, ["eMinTokens"] = s.EMin, ["rmsLogError"] = s.RmsLogError,
            })]),
            ["bNoiseInParameters"] = bnoise,
            ["bNoiseInHorizon"] = Law(result.InHorizon),
            ["sMinInParameters"] = Law(result.SMinInSize),
            ["lmoTheory"] = new JsonObject { ["batchExponentInHorizon"] = 0.5, ["statement"] = "Theorem 1 (fixed momentum): b* ~ T^(1/2)" },
        };
    }

    /// <inheritdoc/>
    public void WriteTable(CliIo io, CriticalBatchScoreboard scoreboard)
    {
        var result = scoreboard.Result;
        var inv = CultureInfo.InvariantCulture;
        var console = io.Table();
        var table = new Table().Border(TableBorder.Rounded).Title("Protocol 5: S(B) = S_min (1 + B_noise / B) per model size (B in tokens)")
            .AddColumn("model").AddColumn(new TableColumn("target loss").RightAligned()).AddColumn(new TableColumn("horizon T (tokens)").RightAligned())
            .AddColumn(new TableColumn("S_min").RightAligned()).AddColumn(new TableColumn("B_noise (tokens)").RightAligned())
            .AddColumn(new TableColumn("E_min (tokens)").RightAligned()).AddColumn(new TableColumn("RMS error in ln S").RightAligned());
        foreach (var s in result.Sizes)
            table.AddRow(s.Model, Format.G(s.TargetLoss), Format.G(s.ChinchillaTokens, 3), Format.G(s.SMin, 4), Format.G(s.BNoise, 4), Format.G(s.EMin, 3), Format.G(s.RmsLogError, 3));
        console.Write(table);
        string Line(string what, PowerLawFit f) => string.Create(inv, $"{what}: exponent {f.Exponent:F3} +- {f.ExponentStandardError:F3} (R^2 {f.RSquared:F3}, {f.Points} sizes)");
        console.WriteLine(Line("B_noise ~ N^e", result.InSize) + string.Create(inv, $"; leaving one size out: {result.JackknifeMin:F3} to {result.JackknifeMax:F3}"));
        console.WriteLine(Line("B_noise ~ T^e (T = the Chinchilla horizon that sets each target)", result.InHorizon));
        console.WriteLine(Line("S_min ~ N^e", result.SMinInSize));
        console.WriteLine(string.Create(inv, $"LMO theory (Theorem 1, fixed momentum): b* ~ T^0.5; measured B_noise ~ T^{result.InHorizon.Exponent:F3}. Different quantities: b* minimises the proxy bound at a fixed horizon, B_noise is the batch where halving the steps costs doubling the data."));
    }
}
