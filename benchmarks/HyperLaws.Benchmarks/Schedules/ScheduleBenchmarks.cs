using BenchmarkDotNet.Attributes;
using HyperLaws.Schedules;

namespace HyperLaws.Benchmarks.Schedules;

/// <summary>
/// Evaluating 1,000,000-step schedules with warmup into a preallocated buffer (no allocation), plus the
/// compensated cumulative sum S1 the laws need. Target: a few milliseconds each.
/// </summary>
[MemoryDiagnoser]
public class ScheduleBenchmarks
{
    private const int Steps = 1_000_000;
    private readonly LrSchedule _wsd = LrSchedule.Parse("wsd(peak=3e-4,steps=1000000,warmup=10000,cooldown=0.2,shape=linear,floor=3e-5)");
    private readonly LrSchedule _wsdSqrt = LrSchedule.Parse("wsd(peak=3e-4,steps=1000000,warmup=10000,cooldown=0.2,shape=sqrt,floor=3e-5)");
    private readonly LrSchedule _cosine = LrSchedule.Parse("cosine(peak=3e-4,steps=1000000,warmup=10000,floor=3e-5)");
    private readonly double[] _buffer = new double[Steps];
    private readonly double[] _sums = new double[Steps];

    [Benchmark(Description = "wsd linear, 1M steps, Evaluate(span)")]
    public double Wsd()
    {
        _wsd.Evaluate(_buffer);
        return _buffer[^1];
    }

    [Benchmark(Description = "wsd sqrt, 1M steps, Evaluate(span)")]
    public double WsdSqrt()
    {
        _wsdSqrt.Evaluate(_buffer);
        return _buffer[^1];
    }

    [Benchmark(Description = "cosine, 1M steps, Evaluate(span)")]
    public double Cosine()
    {
        _cosine.Evaluate(_buffer);
        return _buffer[^1];
    }

    [Benchmark(Description = "cumulative sum (Neumaier), 1M steps")]
    public double Cumulative()
    {
        ScheduleMath.CumulativeSum(_buffer, _sums);
        return _sums[^1];
    }
}
