using System.Globalization;
using HyperLaws.Runs;

namespace HyperLaws.Readers.Internal;

/// <summary>
/// What the plain-text training logs (<see cref="LlmcLogReader"/>, <see cref="SpeedrunLogReader"/>) share once their lines are
/// parsed: values keyed by the number of optimizer updates done, a step logged twice resolved in favour of the later line
/// (a resumed run appends to its log), and the run assembled from them with the LR rules of docs/RUN-FORMATS.md.
/// </summary>
internal sealed class TextLog(string path, RunReadOptions options)
{
    private readonly SortedDictionary<int, (double Value, string Where)> _train = [];
    private readonly SortedDictionary<int, (double Value, string Where)> _val = [];
    private readonly SortedDictionary<int, (double Value, string Where)> _lrs = [];

    private int _conflicts;

    /// <summary>Steps logged twice with different values (the later line kept, <see cref="LaterWins"/>).</summary>
    public int Conflicts => _conflicts;

    /// <summary>The training losses read so far.</summary>
    public int TrainCount => _train.Count;

    /// <summary>The validation losses read so far.</summary>
    public int ValCount => _val.Count;

    /// <summary>The largest number of updates any loss was logged after (-1: none).</summary>
    public int LastLossStep => Math.Max(_train.Count > 0 ? _train.Keys.Max() : -1, _val.Count > 0 ? _val.Keys.Max() : -1);

    /// <summary>The largest step with a logged LR (0: none).</summary>
    public int LastLrStep => _lrs.Count > 0 ? _lrs.Keys.Max() : 0;

    /// <summary>A training loss computed after <paramref name="updates"/> updates (before update updates + 1).</summary>
    public void AddTrain(int updates, double loss, string where) =>
        LaterWins.Put(_train, updates, loss, where, path, options, ref _conflicts, static u => $"the training loss after {u} updates");

    /// <summary>A validation loss evaluated after <paramref name="updates"/> updates.</summary>
    public void AddVal(int updates, double loss, string where) =>
        LaterWins.Put(_val, updates, loss, where, path, options, ref _conflicts, static u => $"the validation loss after {u} updates");

    /// <summary>
    /// Training losses printed as window means (Megatron's <c>lm loss</c>, fairseq's <c>train_inner</c> <c>loss</c>): the value printed at
    /// update count k is the mean over updates p + 1..k (p the previous printed line's k) of the batch loss computed before each update,
    /// i.e. after p..k - 1 updates; it becomes the observation at step floor((p + k - 1) / 2), the middle of the window rounded down.
    /// For the first line p is k minus the log interval (the gap to the second line), so 0 for a run logged from its start; after a
    /// jump back (a resumed run appended to its log) the window starts one log interval earlier. Lines without a loss (all their
    /// updates skipped) count for the windows only. Returns the number of losses added.
    /// </summary>
    public int AddWindowMeans(IReadOnlyList<(int K, double? Loss, string Where)> lines)
    {
        if (lines.Count == 0) return 0;
        int interval = lines.Count > 1 && lines[1].K > lines[0].K ? lines[1].K - lines[0].K : lines[0].K;
        int previous = Math.Max(0, lines[0].K - interval);
        int losses = 0;
        for (int i = 0; i < lines.Count; i++)
        {
            var (k, loss, where) = lines[i];
            int p = i == 0 ? previous : lines[i - 1].K;
            if (p >= k) p = Math.Max(0, k - interval); // a jump back: a resumed run appended to the log
            if (loss is { } x)
            {
                AddTrain((p + k - 1) / 2, x, where);
                losses++;
            }
        }
        return losses;
    }

    /// <summary>eta_<paramref name="step"/>, the LR of update <paramref name="step"/> (1-based).</summary>
    public void AddLr(int step, double lr, string where)
    {
        RunAssembly.CheckLrValue(path, where, lr);
        LaterWins.Put(_lrs, step, lr, where, path, options, ref _conflicts, static s => $"the learning rate of update {s}");
    }

    /// <summary>
    /// The run of <paramref name="total"/> steps (S, or at least the steps the log shows): losses after 0 updates go to the tags
    /// <c>initialLoss</c>/<c>initialValLoss</c>; the per-step LRs are the schedule's when <see cref="RunReadOptions.Schedule"/> is
    /// given (every logged LR checked against it within <paramref name="lrAbsTolerance"/> plus the relative tolerance), else the
    /// logged ones (interpolated linearly between logged steps when some are missing; the tag <c>lr</c> says so), else an error
    /// ending with <paramref name="noLrHint"/>. Divergence: the trailing-median rule on the per-batch training losses, the plain
    /// rule on the validation losses (<see cref="RunAssembly.BuildWithTrainMedian"/>). <paramref name="lrPrintRelTolerance"/> is
    /// added to the relative tolerance of that check for loggers that print a fixed number of significant digits (Megatron's
    /// <c>{:.3E}</c>: 5e-4). Logged LRs may reach step total + 1 (the LR printed after the last update): they are interpolated
    /// towards but not checked.
    /// </summary>
    public TrainingRun Build(int total, Dictionary<string, string> tags, double lrAbsTolerance, string noLrHint, double lrPrintRelTolerance = 0)
    {
        if (_train.Count == 0 && _val.Count == 0) throw new RunFormatException(path, 0, "no loss is logged.");
        tags[RunNote.ResumeConflictsTag] = Conflicts.ToString(CultureInfo.InvariantCulture);
        tags["trainLosses"] = "batch"; // single-batch losses: `import` writes '# train_losses: batch' so the run file keeps the median rule
        var raw = new List<RawObservation>(_train.Count + _val.Count);
        foreach (var (u, (loss, where)) in _train)
        {
            if (u == 0) tags["initialLoss"] = RunAssembly.Fmt(loss);
            else raw.Add(new RawObservation(u, loss, LossSplit.Train, where));
        }
        foreach (var (u, (loss, where)) in _val)
        {
            if (u == 0) tags["initialValLoss"] = RunAssembly.Fmt(loss);
            else raw.Add(new RawObservation(u, loss, LossSplit.Validation, where));
        }
        if (raw.Count == 0) throw new RunFormatException(path, 0, "the only losses logged are the untrained model's (after 0 updates): no point of the curve.");

        double[] perStep;
        string? schedule = null;
        var logged = _lrs.Select(kv => new LoggedLr(kv.Key, kv.Value.Value, kv.Value.Where)).ToList();
        if (options.Schedule is { } spec)
        {
            perStep = RunAssembly.EvaluateSchedule(options, spec, path, "0");
            if (perStep.Length < total)
                throw new RunFormatException(path, 0, $"the schedule {spec} has {perStep.Length} steps but the log shows {total}.");
            // An LR logged after the last update (Megatron's, of update S + 1) is beyond a schedule of S steps: not checked.
            RunAssembly.CheckLoggedLrs(path, perStep, logged.Where(l => l.Step <= perStep.Length), options.LrRelativeTolerance + lrPrintRelTolerance,
                $"the schedule {spec}", lrAbsTolerance);
            schedule = spec;
        }
        else if (logged.Count == total && logged[0].Step == 1 && logged[^1].Step == total)
        {
            perStep = [.. logged.Select(l => l.Lr)];
        }
        else if (logged.Count > 0)
        {
            perStep = LrInterpolation.Fill(logged.Select(l => (l.Step, l.Lr)), total);
            tags[ReaderTags.LrFilledIn] = $"interpolated linearly between {logged.Count} logged LRs of {total} steps";
        }
        else
        {
            throw new RunFormatException(path, 0, $"no learning rate is logged: {noLrHint}");
        }

        var meta = new RunMetadata(Path.GetFileNameWithoutExtension(path))
        {
            Schedule = schedule,
            Source = path,
            Tags = tags,
        };
        return RunAssembly.BuildWithTrainMedian(path, meta, perStep, raw, options.DivergenceFactor);
    }

    /// <summary>
    /// A step count printed as ASCII digits at <paramref name="line"/>, checked against 0 (or 1 without <paramref name="allowZero"/>)
    /// ..<see cref="RunReadOptions.MaxStep"/>; a count past the parser's range is refused as absurdly large.
    /// </summary>
    internal static int Step(string path, int line, string digits, RunReadOptions options, bool allowZero = true)
    {
        // The callers' \d also matches non-ASCII digits ("iteration ١٠/ 100"), which do not parse: was "step Infinity is not a whole number".
        if (!double.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out double k))
            throw new RunFormatException(path, line, $"step '{Clip(digits)}' is not a number (ASCII digits).");
        return RunAssembly.CheckStep(path, line.ToString(CultureInfo.InvariantCulture), k, options.MaxStep, allowZero);
    }

    /// <summary><see cref="Number(string)"/>, refusing a value that is none of those as "KEY 'TEXT' is not a number." at <paramref name="line"/>.</summary>
    internal static double Number(string path, int line, string key, string text) =>
        Number(text) ?? throw new RunFormatException(path, line, $"{key} '{Clip(text)}' is not a number.");

    /// <summary>A count printed as ASCII digits with optional thousands commas (<c>14,768,307,200</c>); the caller's regex admits only those.</summary>
    internal static double Count(string digits) =>
        double.Parse(digits.Replace(",", "", StringComparison.Ordinal), NumberStyles.None, CultureInfo.InvariantCulture);

    /// <summary>
    /// The "key: value" fields of <paramref name="rest"/> split at <paramref name="separator"/> (NeMo's " | ", MaxText's ", "): each
    /// split at its last ": " (keys may hold spaces), a leading '|' dropped; one not of that shape, or a key twice, is refused naming
    /// <paramref name="what"/> (e.g. "a NeMo training line").
    /// </summary>
    internal static Dictionary<string, string> KeyValueFields(string path, int line, string rest, string separator, string what)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string part in rest.Split(separator))
        {
            string p = part.Trim().TrimStart('|').Trim();
            if (p.Length == 0) continue;
            int c = p.LastIndexOf(": ", StringComparison.Ordinal);
            if (c <= 0 || c + 2 >= p.Length)
                throw new RunFormatException(path, line, $"field '{Clip(p)}' of {what} is not 'key: value' (a line cut short?).");
            if (!fields.TryAdd(p[..c].Trim(), p[(c + 2)..].Trim()))
                throw new RunFormatException(path, line, $"field '{Clip(p[..c].Trim())}' appears twice on the line.");
        }
        return fields;
    }

    /// <summary>A log line or field for an error message: its first 80 characters, then "...".</summary>
    internal static string Clip(string s) => s.Length <= 80 ? s : s[..80] + "...";

    /// <summary>
    /// A number as the C and Python loggers print it: a decimal (invariant culture), or nan/inf/infinity in any case with an
    /// optional sign (printf's <c>-nan</c>); null when it is none of these.
    /// </summary>
    public static double? Number(string text)
    {
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double v)) return v;
        string t = text.TrimStart('+', '-').ToLowerInvariant();
        if (t is "nan") return double.NaN;
        if (t is "inf" or "infinity") return text.StartsWith('-') ? double.NegativeInfinity : double.PositiveInfinity;
        return null;
    }
}
