using HyperLaws.Cli.Output;
using HyperLaws.Optimum;
using HyperLaws.Readers;
using HyperLaws.Runs;

namespace HyperLaws.Cli.Commands.Optimum;

/// <summary>Fits and scores the rule: settings -> sweep tables -> <see cref="OptimumEvaluation"/> -> result. Progress goes to stderr only.</summary>
internal static class OptimumHandler
{
    /// <summary>Reads the tables (a rule to apply is handled by <see cref="OptimumRuleApplication"/>, before this).</summary>
    public static SweepTable ReadTables(OptimumSettings settings, out List<string> notes)
    {
        var (table, read) = Read(settings.Sweeps, settings.Read);
        notes = read;
        return table;
    }

    public static OptimumResult Run(OptimumSettings settings, SweepTable table, IReadOnlyList<string> notes, Action<string>? progress)
    {
        // Checked here too so that bad input gives one line on stderr, with no progress before it.
        int minimum = settings.LeaveOneOut ? 5 : 4;
        if (table.Cells.Count < minimum)
            throw new UserInputException($"--sweep: {table.Cells.Count} (N, D) cell(s) in {string.Join(", ", settings.Sweeps)}; {(settings.LeaveOneOut ? "--leave-one-out" : "fitting the rule")} needs at least {minimum}.");
        foreach (string note in notes) progress?.Invoke(note);
        var result = UserInputException.Guard(() => OptimumEvaluation.Run(table, settings.LeaveOneOut, settings.Options, settings.Form, progress));
        return new OptimumResult(table, result);
    }

    /// <summary>Reads and merges the sweep tables; a missing file, an unreadable one or an empty result is bad input.</summary>
    private static (SweepTable Table, List<string> Notes) Read(IReadOnlyList<string> paths, RunReadOptions readOptions)
    {
        if (paths.Count == 0) throw new UserInputException("--sweep: no file given.");
        var points = new List<SweepPoint>();
        var notes = new List<string>();
        var seen = new Dictionary<(string?, double, double, double, double), string>();
        foreach (string path in paths)
        {
            if (Directory.Exists(path)) throw new UserInputException($"{path}: is a folder; --sweep takes sweep table files (CSV in Step Law format).");
            if (!File.Exists(path)) throw new UserInputException($"{path}: no such file.");
            SweepTable t;
            try
            {
                t = RunReader.ReadSweep(path, readOptions);
            }
            catch (Exception e) when (e is FormatException or IOException or UnauthorizedAccessException)
            {
                throw new UserInputException(e is RunFormatException ? e.Message : $"{path}: {e.Message}");
            }
            foreach (var p in t.Points)
            {
                if (seen.TryGetValue((p.Configuration, p.N, p.D, p.LearningRate, p.BatchTokens), out string? other))
                    throw new UserInputException($"{p.Source ?? path}: the same (N, D, lr, bs) point as {other}.");
                seen[(p.Configuration, p.N, p.D, p.LearningRate, p.BatchTokens)] = p.Source ?? path;
            }
            points.AddRange(t.Points);
            notes.Add($"{path}: {t.Points.Count} runs in {t.Cells.Count} (N, D) cells");
        }
        return (new SweepTable(points), notes);
    }
}
