using System.Globalization;
using System.Text.Json.Nodes;
using HyperLaws.Cli.Output;

namespace HyperLaws.Cli.Commands.LrPrior;

/// <summary>Writes the prior file and prints what was written: one line, or one JSON object with --json.</summary>
internal static class LrPriorRenderer
{
    /// <summary>Writes the prior's document to <see cref="LrPriorSettings.OutPath"/> (atomically).</summary>
    public static void WriteFile(LrPriorSettings settings, LrPriorResult result) => ResultOutput.WriteJsonFile(settings.OutPath, result.Document);

    /// <summary>Prints the summary; <paramref name="elapsed"/> is the fit and write time.</summary>
    public static void Write(CliIo io, LrPriorSettings settings, LrPriorResult result, TimeSpan elapsed)
    {
        if (settings.Json)
        {
            ResultOutput.WriteJson(io, new JsonObject { ["prior"] = settings.OutPath, ["axis"] = result.Document["axis"]!.DeepClone(), ["seconds"] = Math.Round(elapsed.TotalSeconds, 1) });
            return;
        }
        var p = result.Fit.Prior;
        io.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"wrote {settings.OutPath}: x* {p.Ratio:G4} (ln spread {p.LnRatioSpread:G3}), curvature {p.Curvature:G4}{(p.CurvatureExponent == 0 ? "" : string.Create(CultureInfo.InvariantCulture, $" (D/{p.CurvatureTokens:G3})^-{p.CurvatureExponent:G3}"))} (ln spread {p.LnCurvatureSpread:G3}), peaks {p.RatioLow:G3}..{p.RatioHigh:G3} x eta_ref, {p.Cells} cells, {elapsed.TotalSeconds:F0} s"));
    }
}
