using CsCheck;
using Xunit.Sdk;

namespace HyperLaws.Tests;

/// <summary>
/// Deterministic property checks: CsCheck's generators driven by a fixed PCG stream, so every run
/// draws the same samples (CsCheck's own seed fixes only the first iteration). A failure names the sample.
/// </summary>
internal static class Property
{
    public static void ForAll<T>(Gen<T> gen, Action<T> assert, int iterations = 200, ulong seed = 20261123)
    {
        var pcg = new PCG(1, seed);
        for (int i = 0; i < iterations; i++)
        {
            T sample = gen.Generate(pcg, null!, out _);
            try
            {
                assert(sample);
            }
            catch (Exception e)
            {
                throw new XunitException($"property failed at sample {i}: {sample}{Environment.NewLine}{e.Message}");
            }
        }
    }

    /// <summary>A positive number log-uniform in [lo, hi].</summary>
    public static Gen<double> LogUniform(double lo, double hi) =>
        Gen.Double[Math.Log(lo), Math.Log(hi)].Select(Math.Exp);

    public static void Near(double expected, double actual, double relTol, string what = "")
    {
        if (!(Math.Abs(actual - expected) <= relTol * Math.Abs(expected)))
            throw new XunitException($"{what} expected {expected:G10}, got {actual:G10} (relative error {Math.Abs(actual - expected) / Math.Abs(expected):G3} > {relTol:G3})");
    }
}
