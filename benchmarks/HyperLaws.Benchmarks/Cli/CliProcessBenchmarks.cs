using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using static System.FormattableString;

namespace HyperLaws.Benchmarks.Cli;

/// <summary>
/// Issue 12's two commands timed as a user runs them: the built Release CLI (its apphost, ReadyToRun images) started as a child
/// process, one process per invocation, each into a fresh <c>--out</c> folder, with <c>--quiet</c>:
/// <list type="bullet">
/// <item><c>plan --params 400M --tokens 590B --no-fit-cache</c> (cold: every fit made; target under 3 s on 2 cores),</item>
/// <item>the same plan without <c>--no-fit-cache</c>, its fits cached in a fresh fit cache folder that a first run fills,</item>
/// <item><c>demo --no-fit-cache</c> (cold; target under 10 s) and <c>demo</c> with its fits cached.</item>
/// </list>
/// The job (<see cref="CliProcessConfig"/>): BenchmarkDotNet's monitoring strategy (no pilot, no overhead subtraction: each invocation
/// is seconds), one launch, one warmup iteration, five measured iterations of one invocation each, in process (the host's own JIT does
/// not touch the child's time). The CPU column is the child's user + sys time (all its threads), read from this process's waited-for
/// children's times in /proc/self/stat around each invocation, over the same measured iterations as the mean.
/// <code>
/// dotnet build HyperLaws.slnx -c Release
/// dotnet run -c Release --project benchmarks/HyperLaws.Benchmarks --no-build -- --filter '*CliProcessBenchmarks*'
/// HYPERLAWS_EXE=/path/to/another/build/hyperlaws dotnet run ... --filter '*CliProcessBenchmarks*'     (another build)
/// </code>
/// </summary>
[Config(typeof(CliProcessConfig))]
public class CliProcessBenchmarks
{
    private static readonly string[] PlanArguments = ["plan", "--params", "400M", "--tokens", "590B", "--quiet"];
    private static readonly string[] DemoArguments = ["demo", "--quiet"];

    private string _exe = "";
    private string _work = "";
    private string _cache = "";
    private int _outputs;

    [GlobalSetup]
    public void Setup()
    {
        _exe = Environment.GetEnvironmentVariable("HYPERLAWS_EXE") is { Length: > 0 } exe ? exe : DefaultExecutable();
        if (!File.Exists(_exe)) throw new InvalidOperationException($"{_exe}: not built (dotnet build src/HyperLaws.Cli -c Release)");
        _work = Path.Combine(Path.GetTempPath(), $"hyperlaws-cli-bench-{Guid.NewGuid():N}");
        _cache = Path.Combine(_work, "cache");
        Directory.CreateDirectory(_cache);
    }

    /// <summary>The cached cases' fits: one run of the same command fills the fresh cache folder first (not measured).</summary>
    [GlobalSetup(Targets = [nameof(CachedPlan), nameof(CachedDemo)])]
    public void SetupCached()
    {
        Setup();
        Run(nameof(SetupCached), PlanArguments);
        Run(nameof(SetupCached), DemoArguments);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        if (_work.Length > 0 && Directory.Exists(_work)) Directory.Delete(_work, recursive: true);
    }

    [IterationCleanup]
    public void RemoveOutputs()
    {
        foreach (string folder in Directory.EnumerateDirectories(_work, "out-*")) Directory.Delete(folder, recursive: true);
    }

    [Benchmark(Description = "plan 400M 590B, cold (--no-fit-cache)")]
    public int ColdPlan() => Run(nameof(ColdPlan), [.. PlanArguments, "--no-fit-cache"]);

    [Benchmark(Description = "plan 400M 590B, fits cached")]
    public int CachedPlan() => Run(nameof(CachedPlan), PlanArguments);

    [Benchmark(Description = "demo, cold (--no-fit-cache)")]
    public int ColdDemo() => Run(nameof(ColdDemo), [.. DemoArguments, "--no-fit-cache"]);

    [Benchmark(Description = "demo, fits cached")]
    public int CachedDemo() => Run(nameof(CachedDemo), DemoArguments);

    /// <summary>Runs the CLI once into a fresh output folder; records its CPU time under <paramref name="benchmark"/>; throws on a non-zero exit.</summary>
    private int Run(string benchmark, string[] arguments)
    {
        var start = new ProcessStartInfo(_exe)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments) start.ArgumentList.Add(argument);
        start.ArgumentList.Add("--out");
        start.ArgumentList.Add(Path.Combine(_work, $"out-{++_outputs}"));
        start.Environment["HYPERLAWS_CACHE_DIR"] = _cache;
        double cpu0 = ChildCpuTime.Seconds();
        var wall = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{_exe}: not started");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        double seconds = wall.Elapsed.TotalSeconds;
        double cpu = ChildCpuTime.Seconds() - cpu0;
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{string.Join(' ', arguments)}: exit {process.ExitCode}: {stderr.Result}{stdout.Result}");
        if (benchmark != nameof(SetupCached)) ChildCpuTime.Record(benchmark, cpu);
        Console.WriteLine(Invariant($"// {benchmark}: {seconds:F3} s wall, {cpu:F2} s CPU (user + sys), load average {ChildCpuTime.LoadAverage()}"));
        return process.ExitCode;
    }

    private static string DefaultExecutable()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "HyperLaws.slnx")))
                return Path.Combine(dir.FullName, "src", "HyperLaws.Cli", "bin", "Release", "net10.0", "linux-x64", "hyperlaws");
        }
        throw new InvalidOperationException("HyperLaws.slnx not found above " + AppContext.BaseDirectory + " (set HYPERLAWS_EXE)");
    }
}
