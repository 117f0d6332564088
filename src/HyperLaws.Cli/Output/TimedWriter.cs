using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace HyperLaws.Cli.Output;

/// <summary>
/// The progress stream with times: with <c>HYPERLAWS_TIMING=1</c> in the environment every line written to stderr starts
/// with the wall time and the process's CPU time (all threads) since the process started, then the methods the JIT compiled
/// so far and the time it spent on them (<see cref="System.Runtime.JitInfo"/>, all threads), then the garbage collections so far
/// (all generations, of which generation 2) and the bytes allocated (all threads, <see cref="GC.GetTotalAllocatedBytes"/>), e.g.
/// <c>[  2.31 s,   3.90 s CPU,  4210 JIT in   0.95 s,   12 GC (2 gen2),   1.52 GB] plan: searching ...</c>, and a last line is written
/// at exit; the time a stage took is the difference between its line and the next. The JIT count shows what ReadyToRun left to the JIT. The first line's times are the start-up (runtime, assembly loading, parsing,
/// reading the inputs). Progress lines are those of a command run without <c>--quiet</c>.
/// </summary>
public sealed class TimedWriter(TextWriter inner) : TextWriter
{
    /// <summary>The environment variable that turns the times on.</summary>
    public const string Variable = "HYPERLAWS_TIMING";

    private readonly StringBuilder _line = new();
    private readonly Lock _gate = new();

    public override Encoding Encoding => inner.Encoding;

    /// <summary>True when <see cref="Variable"/> is set to something other than empty or 0.</summary>
    public static bool Enabled => Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } v && v != "0";

    /// <summary>"[wall, CPU, methods JIT-compiled in JIT time, collections (gen 2), bytes allocated]" since the process started.</summary>
    public static string Stamp()
    {
        using var process = Process.GetCurrentProcess();
        double wall = (DateTime.Now - process.StartTime).TotalSeconds, cpu = process.TotalProcessorTime.TotalSeconds;
        long jitted = System.Runtime.JitInfo.GetCompiledMethodCount();
        double jit = System.Runtime.JitInfo.GetCompilationTime().TotalSeconds;
        int collections = GC.CollectionCount(0), gen2 = GC.CollectionCount(2);   // a gen-0 count includes the older generations' collections
        double allocated = GC.GetTotalAllocatedBytes() / 1e9;
        return string.Create(CultureInfo.InvariantCulture, $"[{wall,7:F2} s, {cpu,7:F2} s CPU, {jitted,5} JIT in {jit,6:F2} s, {collections,4} GC ({gen2} gen2), {allocated,6:F2} GB]");
    }

    public override void Write(char value)
    {
        lock (_gate)
        {
            if (value == '\n')
            {
                inner.Write(Stamp() + " " + _line + "\n");
                inner.Flush();
                _line.Clear();
            }
            else if (value != '\r')
            {
                _line.Append(value);
            }
        }
    }

    public override void Write(string? value)
    {
        if (value is null) return;
        foreach (char c in value) Write(c);
    }

    public override void WriteLine(string? value)
    {
        Write(value);
        Write('\n');
    }

    public override void Flush()
    {
        lock (_gate) inner.Flush();
    }
}
