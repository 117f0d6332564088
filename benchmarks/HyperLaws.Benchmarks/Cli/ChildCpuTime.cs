using System.Collections.Concurrent;
using System.Globalization;

namespace HyperLaws.Benchmarks.Cli;

/// <summary>
/// The CPU time (user + sys, all threads) of this process's child processes that have ended and been waited for: fields 16 and 17
/// of /proc/self/stat (cutime, cstime, in clock ticks of 1/100 s: USER_HZ, proc(5)), so the difference around one child's run is
/// that child's CPU time (10 ms resolution). Linux only. Each benchmark's values are kept in order for <see cref="CpuTimeColumn"/>.
/// </summary>
internal static class ChildCpuTime
{
    private const double TicksPerSecond = 100;
    private static readonly ConcurrentDictionary<string, List<double>> Values = new();

    public static double Seconds()
    {
        string stat = File.ReadAllText("/proc/self/stat");
        // The command name (field 2) is in parentheses and may hold spaces: fields 3 on follow the last ')'.
        string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[16 - 3], CultureInfo.InvariantCulture) + long.Parse(fields[17 - 3], CultureInfo.InvariantCulture)) / TicksPerSecond;
    }

    public static void Record(string benchmark, double seconds) => Values.GetOrAdd(benchmark, _ => []).Add(seconds);

    /// <summary>The last <paramref name="count"/> values recorded for <paramref name="benchmark"/> (its measured iterations), or none.</summary>
    public static IReadOnlyList<double> Last(string benchmark, int count) =>
        Values.TryGetValue(benchmark, out var all) && all.Count >= count ? all.GetRange(all.Count - count, count) : [];

    public static string LoadAverage() => File.ReadAllText("/proc/loadavg").Split(' ')[0];
}
