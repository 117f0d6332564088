using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.NoEmit;

namespace HyperLaws.Benchmarks.Cli;

/// <summary>
/// <see cref="CliProcessBenchmarks"/>' job: monitoring strategy, 1 launch, 1 warmup iteration, 5 measured iterations, 1 invocation
/// each (unroll 1), in process (the benchmark starts the CLI as a child, so no generated host project is built), with the child's CPU
/// time as a column (<see cref="CpuTimeColumn"/>).
/// </summary>
public sealed class CliProcessConfig : ManualConfig
{
    public CliProcessConfig()
    {
        AddJob(Job.Default
            .WithStrategy(RunStrategy.Monitoring)
            .WithLaunchCount(1)
            .WithWarmupCount(1)
            .WithIterationCount(5)
            .WithInvocationCount(1)
            .WithUnrollFactor(1)
            .WithToolchain(InProcessNoEmitToolchain.Instance)
            .WithId("cli-process"));
        AddColumn(new CpuTimeColumn());
    }
}
