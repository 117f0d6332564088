using BenchmarkDotNet.Attributes;
using HyperLaws.Theory;
using HyperLaws.Theory.Verification;

namespace HyperLaws.Benchmarks.Theory;

/// <summary>
/// The full verification sweep: every regime (joint, Theorem 1 at two momenta, Theorem 2, LR only,
/// fixed LR, seven ridge paths) solved in closed form and numerically at 100 budgets, plus the
/// exponent fits and the 61 x 61 contour grid. Target: under 1 s on the 2-core machine.
/// </summary>
[MemoryDiagnoser]
public class VerificationSweepBenchmarks
{
    private readonly VerificationOptions _full = new();
    private readonly VerificationOptions _largeHorizon = new() { Constants = ProxyConstants.Unit.AsLargeHorizon() };

    [Benchmark(Description = "verify sweep, 5-term proxy, 100 budgets")]
    public VerificationReport FullProxy() => VerificationSweep.Run(_full);

    [Benchmark(Description = "verify sweep, large-horizon proxy, 100 budgets")]
    public VerificationReport LargeHorizon() => VerificationSweep.Run(_largeHorizon);

    [Benchmark(Description = "one joint solve (nested search), T = 1e10")]
    public ScalingSolution JointSolve() => Scaling.Solve(new ScalingProblem(TuningRegime.Joint, 1e10));
}
