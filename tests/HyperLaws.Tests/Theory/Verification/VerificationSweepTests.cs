using HyperLaws.Theory;
using HyperLaws.Theory.Verification;
using Xunit;

namespace HyperLaws.Tests.Theory.Verification;

public sealed class VerificationSweepTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void EveryFittedExponentIsWithinTolerance(bool largeHorizon)
    {
        var options = new VerificationOptions
        {
            Budgets = 45,
            Constants = largeHorizon ? ProxyConstants.Unit.AsLargeHorizon() : ProxyConstants.Unit,
        };
        var report = VerificationSweep.Run(options);
        Assert.NotEmpty(report.Checks);
        foreach (var c in report.Checks)
        {
            Assert.True(Math.Abs(c.Numerical - c.Theory) <= 0.01, $"{c.Curve} {c.Quantity}: {c.Numerical} vs {c.Theory}");
            Assert.True(Math.Abs(c.ClosedForm - c.Theory) <= 0.01, $"{c.Curve} {c.Quantity}: {c.ClosedForm} vs {c.Theory}");
        }
        Assert.True(report.AllPassed);
        Assert.True(report.LargestExactArgumentGap < 1e-5);
        Assert.True(report.LargestProxyGap < 0.02);
        // Joint hyperparameters are identified only when the lower-order terms break the ridge.
        Assert.Equal(!largeHorizon, report.Checks.Any(c => c.Curve == "joint" && c.Quantity == "batch"));
    }

    [Fact]
    public void ChecksFailWhenTheToleranceIsImpossible()
    {
        var report = VerificationSweep.Run(new VerificationOptions { Budgets = 20, ExponentTolerance = 1e-12 });
        Assert.False(report.AllPassed);
    }

    [Fact]
    public void ContourIsTheEtaTunedProxy_AndThePathSitsAtTheIsoBudgetMinimum()
    {
        var c = ProxyConstants.Unit;
        var contour = ProxyContour.Compute(c, 1e-3, points: 21);
        var proxy = new LmoProxy(c);
        Assert.Equal(proxy.EvaluateAtOptimalLearningRate(1e-3, contour.Batches[5], contour.Iterations[7] * contour.Batches[5]), contour.Proxy[7, 5], 12);
        Assert.NotEmpty(contour.OptimalPathBatch);
        for (int i = 0; i < contour.OptimalPathBatch.Length; i += 7)
        {
            double b = contour.OptimalPathBatch[i], T = b * contour.OptimalPathIterations[i];
            double best = proxy.EvaluateAtOptimalLearningRate(1e-3, b, T);
            foreach (double f in new[] { 0.8, 1.25 })
                if (b * f >= 1) Assert.True(best <= proxy.EvaluateAtOptimalLearningRate(1e-3, b * f, T));
        }
    }
}
