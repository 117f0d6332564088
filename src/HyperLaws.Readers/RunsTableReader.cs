using System.Globalization;
using HyperLaws.Readers.Internal;
using HyperLaws.Runs;

namespace HyperLaws.Readers;

/// <summary>
/// A table of finished runs, one row per run with its peak LR and final loss: a tracker's runs table saved as CSV, e.g. a W&amp;B
/// project's runs collected with the public API (<c>api.runs(...)</c>, each run's config fields and its last logged metric) and
/// written by pandas (<c>df.to_csv(index=False)</c>). Real file: github.com/WhenWen/WhenWen.github.io
/// <c>wd_blog/scripts/lr_datasize/wandb_hyperball_runs.csv</c> (Marin's <c>LR_datasize</c> project, Muon and MuonH on a 130M model at
/// 1B-128B tokens; fixture tests/HyperLaws.Readers.Tests/TestData/wandb_runs_table). Columns, by name (case-insensitive, the first of
/// each list the header has):
/// <list type="bullet">
/// <item>peak LR (required): <see cref="LrColumns"/>;</item>
/// <item>final loss (required): <see cref="LossColumns"/>; NaN or infinite reads as a diverged run (+infinity), as Marin's tables;
/// an empty cell (a run with no final loss: crashed or still running) is an error;</item>
/// <item>training tokens <see cref="TokenColumns"/> or steps <see cref="StepColumns"/> (at least one): D = the tokens, else steps x
/// the batch's tokens; the run's steps are floor(D / batch tokens), and a steps column given beside the tokens must agree with
/// D / batch tokens to 1e-6 (relative);</item>
/// <item>optional: the configuration <see cref="ConfigurationColumns"/> (e.g. the optimizer: points of different configurations never
/// share a cell) and the run's name <see cref="NameColumns"/>.</item>
/// </list>
/// The size, batch and schedule come from <see cref="RunsTableFacts"/>. Every error names the file and line.
/// </summary>
public static class RunsTableReader
{
    /// <summary>Peak-LR column names tried, in order.</summary>
    public static readonly IReadOnlyList<string> LrColumns = ["learning_rate", "lr", "peak_lr", "optimizer.learning_rate"];

    /// <summary>Final-loss column names tried, in order.</summary>
    public static readonly IReadOnlyList<string> LossColumns = ["loss", "final_loss", "eval/paloma/c4_en/loss", "eval/loss", "val_loss", "val/loss"];

    /// <summary>Training-token column names tried, in order.</summary>
    public static readonly IReadOnlyList<string> TokenColumns = ["num_tokens", "tokens", "total_tokens", "train_tokens"];

    /// <summary>Training-step column names tried, in order.</summary>
    public static readonly IReadOnlyList<string> StepColumns = ["num_train_steps", "steps", "train_steps", "iterations"];

    /// <summary>Configuration column names tried, in order.</summary>
    public static readonly IReadOnlyList<string> ConfigurationColumns = ["optimizer_name", "optimizer", "configuration"];

    /// <summary>Run-name column names tried, in order.</summary>
    public static readonly IReadOnlyList<string> NameColumns = ["run_name", "name", "run_id"];

    /// <summary>Reads <paramref name="file"/> with <paramref name="facts"/> for what its rows do not say.</summary>
    /// <exception cref="RunFormatException">A column is missing, a cell is malformed, a run is not longer than the warmup, two rows are the same point, or no row.</exception>
    /// <exception cref="ArgumentException">A fact is out of range.</exception>
    public static SweepTable Read(string file, RunsTableFacts facts)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(facts);
        if (facts.Problem() is { } problem) throw new ArgumentException(problem, nameof(facts));
        var csv = CsvText.Read(file, allowComments: false);
        int lr = First(csv, LrColumns), loss = First(csv, LossColumns), tokens = First(csv, TokenColumns), steps = First(csv, StepColumns);
        int configuration = First(csv, ConfigurationColumns), name = First(csv, NameColumns);
        if (lr < 0 || loss < 0 || (tokens < 0 && steps < 0))
        {
            var missing = new List<string>();
            if (lr < 0) missing.Add($"a peak LR ({string.Join(", ", LrColumns)})");
            if (loss < 0) missing.Add($"a final loss ({string.Join(", ", LossColumns)})");
            if (tokens < 0 && steps < 0) missing.Add($"the tokens ({string.Join(", ", TokenColumns)}) or steps ({string.Join(", ", StepColumns)})");
            throw new RunFormatException(file, 1, $"no column for {string.Join("; ", missing)} (header: {CsvText.ShowHeader(csv.Header)}).");
        }
        var points = new List<SweepPoint>();
        var seen = new Dictionary<(string?, double, double), int>();
        foreach (var (line, f) in csv.Rows)
        {
            double eta = csv.Number(line, f, lr, csv.Header[lr]);
            if (!(eta > 0) || double.IsInfinity(eta)) throw new RunFormatException(file, line, $"{csv.Header[lr]} must be a positive finite number (found {f[lr]}).");
            if (f[loss].Length == 0) throw new RunFormatException(file, line, $"{csv.Header[loss]} is empty: a run with no final loss (crashed or still running); remove its row.");
            double l = csv.Number(line, f, loss, csv.Header[loss]);
            if (double.IsNaN(l) || double.IsInfinity(l)) l = double.PositiveInfinity; // diverged
            else if (!(l > 0)) throw new RunFormatException(file, line, $"{csv.Header[loss]} must be positive (found {f[loss]}).");
            double d = tokens >= 0 ? Positive(csv, line, f, tokens) : Positive(csv, line, f, steps) * facts.BatchTokens;
            if (tokens >= 0 && steps >= 0 && f[steps].Length > 0)
            {
                double s = Positive(csv, line, f, steps), expected = d / facts.BatchTokens;
                if (Math.Abs(s - expected) > 1e-6 * expected)
                    throw new RunFormatException(file, line, FormattableString.Invariant($"{csv.Header[steps]} {f[steps]} disagrees with {csv.Header[tokens]} / batch tokens = {d:G9} / {facts.BatchTokens:G9} = {expected:G9}."));
            }
            double iterations = Math.Floor(d / facts.BatchTokens);
            if (iterations < 1 || iterations > 1e9) throw new RunFormatException(file, line, FormattableString.Invariant($"{d:G6} tokens at {facts.BatchTokens:G6} per step is {iterations:G6} steps (1 to 1e9 expected)."));
            if (iterations <= facts.WarmupSteps)
                throw new RunFormatException(file, line, FormattableString.Invariant($"{d:G6} tokens at {facts.BatchTokens:G6} per step is {iterations:G6} steps, not more than the warmup's {facts.WarmupSteps} (the peak LR is never held)."));
            string? config = configuration >= 0 && f[configuration].Length > 0 ? f[configuration] : null;
            if (seen.TryGetValue((config, d, eta), out int other))
                throw new RunFormatException(file, line, FormattableString.Invariant($"the same point as line {other} ({(config is null ? "" : config + ", ")}{d:G6} tokens, LR {eta:G6})."));
            seen[(config, d, eta)] = line;
            string runName = name >= 0 && f[name].Length > 0 ? f[name] : $"line {line.ToString(CultureInfo.InvariantCulture)}";
            points.Add(new SweepPoint(facts.Parameters, d, eta, facts.BatchTokens / facts.SequenceLength, facts.BatchTokens, (int)iterations, l, double.NaN, runName)
            {
                Configuration = config,
                WarmupSteps = facts.WarmupSteps,
                MinLrRatio = facts.MinLrRatio,
                DecayFraction = facts.DecayFraction,
                LinearDecay = facts.LinearDecay,
                Source = $"{file}:{line.ToString(CultureInfo.InvariantCulture)}",
            });
        }
        if (points.Count == 0) throw new RunFormatException(file, 1, "no data rows after the header.");
        return new SweepTable(points);
    }

    /// <summary>The index of the first of <paramref name="names"/> the header has, or -1.</summary>
    private static int First(CsvText csv, IReadOnlyList<string> names)
    {
        foreach (string n in names)
            if (csv.Column(n) is >= 0 and var i) return i;
        return -1;
    }

    private static double Positive(CsvText csv, int line, string[] f, int col)
    {
        double x = csv.Number(line, f, col, csv.Header[col]);
        if (!(x > 0) || double.IsInfinity(x)) throw new RunFormatException(csv.File, line, $"{csv.Header[col]} must be a positive finite number (found {f[col]}).");
        return x;
    }
}
