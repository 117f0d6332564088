using System.Globalization;
using System.Text;
using HyperLaws.Laws;
using HyperLaws.Readers;
using HyperLaws.Schedules;

namespace HyperLaws.Benchmarks.LongRuns;

/// <summary>
/// Long synthetic runs for the scaling benchmarks, written as the documented generic CSV
/// (<c># schedule: ...</c> metadata, then <c>step,loss</c> every <see cref="Every"/> steps) and read back
/// with <see cref="GenericRunReader"/>, as a user's log would be. The losses are the published 100M
/// Multi-Power-Law fit on the run's own schedule times (1 + 0.2% deterministic noise); run i alternates
/// cosine and WSD schedules and varies the peak LR over 5 values, so the schedules repeat every 10 runs (runs i and i + 10 differ
/// in their noise only, like seeds of a sweep). With <c>distinct</c> every run's peak is also scaled by 1 + 0.01 floor(i / 10), so no
/// two runs share a schedule (runs 0-9 are the same as without it).
/// </summary>
public static class SyntheticRuns
{
    public const int Every = 100;

    /// <summary>The schedule spec of run <paramref name="index"/> with <paramref name="steps"/> steps.</summary>
    public static string Schedule(int index, int steps, bool distinct = false)
    {
        double peak = 3e-4 * Math.Pow(2, (index % 5 - 2) / 2.0);
        if (distinct) peak *= 1 + 0.01 * (index / 10);
        int warmup = Math.Max(10, steps / 100);
        string p = peak.ToString("R", CultureInfo.InvariantCulture);
        return index % 2 == 0
            ? $"cosine(peak={p},steps={steps},warmup={warmup},floor={(0.1 * peak).ToString("R", CultureInfo.InvariantCulture)})"
            : $"wsd(peak={p},steps={steps},warmup={warmup},cooldown=0.2,shape=linear,floor={(0.1 * peak).ToString("R", CultureInfo.InvariantCulture)})";
    }

    /// <summary>Writes run <paramref name="index"/> (of <paramref name="steps"/> steps) to <paramref name="path"/>.</summary>
    public static void Write(string path, int index, int steps, bool distinct = false)
    {
        string spec = Schedule(index, steps, distinct);
        var lrs = LrSchedule.Parse(spec).Evaluate();
        var history = new ScheduleHistory(lrs);
        int[] at = [.. Enumerable.Range(1, steps / Every).Select(k => k * Every)];
        var loss = new double[at.Length];
        new MultiPowerLaw().Predict(MultiPowerLaw.Published["100M"], history, at, loss);
        ulong state = 0x9E3779B97F4A7C15UL * (ulong)(index + 1);
        var text = new StringBuilder();
        text.Append("# name: run").Append(index).Append('\n');
        text.Append("# schedule: ").Append(spec).Append('\n');
        text.Append("step,loss\n");
        for (int i = 0; i < at.Length; i++)
        {
            double u = Uniform(ref state) - 0.5;
            text.Append(at[i].ToString(CultureInfo.InvariantCulture)).Append(',')
                .Append((loss[i] * (1 + 0.004 * u)).ToString("R", CultureInfo.InvariantCulture)).Append('\n');
        }
        File.WriteAllText(path, text.ToString());
    }

    /// <summary>Writes (when missing) and reads <paramref name="count"/> runs of <paramref name="steps"/> steps as fit targets (<paramref name="distinct"/>: every run its own schedule).</summary>
    public static IReadOnlyList<FitTarget> Targets(int count, int steps, bool distinct = false)
    {
        string dir = Path.Combine(Path.GetTempPath(), "hyperlaws-bench");
        Directory.CreateDirectory(dir);
        var targets = new FitTarget[count];
        for (int i = 0; i < count; i++)
        {
            string path = Path.Combine(dir, distinct ? $"run{i}_{steps}_distinct.csv" : $"run{i}_{steps}.csv");
            if (!File.Exists(path)) Write(path, i, steps, distinct);
            var run = GenericRunReader.ReadCsv(path);
            targets[i] = FitTarget.Of(run, run.Observations);
        }
        return targets;
    }

    /// <summary>The four laws of protocol 1, by name.</summary>
    public static IFittableLaw Law(string name) => name switch
    {
        "optlaw" => new OptLaw(),
        "mpl" => new MultiPowerLaw(MplTolerance),
        "mpl-spread" => new MultiPowerLaw(MplTolerance) { SpreadBounds = true },   // the node test bounded by the spread (docs/VALIDATION.md, helper mplnode)
        "tissue" => new AnnealingLaw(),
        "convex" => new ConvexBoundLaw(),
        _ => throw new ArgumentException("unknown law " + name),
    };

    public static readonly string[] Laws = ["optlaw", "mpl", "tissue", "convex"];

    /// <summary>The tree walk's tolerance of the "mpl" laws above (<see cref="MultiPowerLaw.Tolerance"/>; the law's default unless a command's <c>--mpl-tolerance</c> sets it).</summary>
    public static double MplTolerance { get; set; } = new MultiPowerLaw().Tolerance;

    private static double Uniform(ref ulong state)
    {
        ulong z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        z ^= z >> 31;
        return (z >> 11) * (1.0 / (1UL << 53));
    }
}
