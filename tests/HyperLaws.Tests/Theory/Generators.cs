using CsCheck;
using HyperLaws.Theory;

namespace HyperLaws.Tests.Theory;

/// <summary>Random proxy constants and budgets for the property tests.</summary>
internal static class Generators
{
    private static readonly Gen<double> Constant = Property.LogUniform(0.1, 10);

    /// <summary>All seven constants log-uniform in [0.1, 10] (the 5-term proxy).</summary>
    public static readonly Gen<ProxyConstants> FullProxy =
        Gen.Select(Gen.Select(Constant, Constant, Constant, Constant), Gen.Select(Constant, Constant, Constant),
            (x, y) => new ProxyConstants(x.Item1, x.Item2, x.Item3, x.Item4, y.Item1, y.Item2, y.Item3));

    /// <summary>The large-horizon proxy (cb = cd = 0) with random C1, C2, C3, ca, cc.</summary>
    public static readonly Gen<ProxyConstants> LargeHorizon = FullProxy.Select(c => c.AsLargeHorizon());
}
