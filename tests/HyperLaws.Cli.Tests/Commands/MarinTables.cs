using System.Globalization;

namespace HyperLaws.Cli.Tests.Commands;

/// <summary>Hand-made Marin-style ablation tables (the layout MarinSweepReader reads) for the protocol 20, 22 and 23 command tests.</summary>
internal static class MarinTables
{
    /// <summary>
    /// One table of <paramref name="optimizer"/> at <paramref name="size"/> and <paramref name="mult"/>x Chinchilla: the baseline row at
    /// <paramref name="lrs"/>[0], then one row per other peak LR (every other column "--"); Muon's with its "Decay (WSD)" and "Schedule"
    /// columns. Run links are named <paramref name="runId"/>-mult-row.
    /// </summary>
    public static string Table(string optimizer, string size, int mult, string runId, params (double Lr, string Loss)[] lrs)
    {
        static string S(double x) => x.ToString("R", CultureInfo.InvariantCulture);
        bool wsd = optimizer == "Muon";
        string head = wsd ? "$\\mathrm{Decay (WSD)}$ & $\\mathrm{Schedule}$ & " : "";
        var rows = lrs.Select((r, i) => i == 0
            ? $"{(wsd ? "0.8 & linear & " : "")}{S(r.Lr)} & 0 & 128 & {(wsd ? 0 : 2000)} & {r.Loss} & \\href{{https://wandb.ai/x/runs/{runId}-{mult}-base}}{{0}} \\\\"
            : $"{(wsd ? "-- & -- & " : "")}{S(r.Lr)} & -- & -- & -- & {r.Loss} & \\href{{https://wandb.ai/x/runs/{runId}-{mult}-{i}}}{{{i}}} \\\\");
        return $"\\caption{{Hyperparameter ablation for {optimizer} on {size} on {mult}x Chinchilla Data}}\n\\begin{{tabular}}{{cccccc}}\n\\toprule\n"
            + head + "$\\eta$ & $\\eta_{min}$ & $\\mathrm{BSZ}$ & $\\mathrm{warmup}$ & Loss & Link \\\\\n\\midrule\n"
            + string.Join("\n", rows) + "\n\\bottomrule\n\\end{tabular}\n";
    }

    /// <summary>A folder with <paramref name="tex"/> as its one table file and a manifest listing it.</summary>
    public static TempDir Folder(string tex)
    {
        var tmp = new TempDir();
        tmp.File("manifest.json", """{ "files": [ { "path": "t.tex" } ] }""");
        tmp.File("t.tex", tex);
        return tmp;
    }
}
