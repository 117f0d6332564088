using CsCheck;
using HyperLaws.Laws;
using Xunit;

namespace HyperLaws.Tests.Laws;

/// <summary>The fit's fast path for OptLaw's features (block moments) equals the step-by-step recursion.</summary>
public sealed class OptLawNoiseBlocksTests
{
    /// <summary>A random schedule: warmup from 0 or not, then constant, cosine, linear or step pieces, zero stretches, ...</summary>
    private static readonly Gen<(double[] Lr, int[] Steps, double Power)> Case =
        Gen.Select(Gen.Int[50, 3000], Gen.Int[0, 3], Gen.Int[1, 40], Gen.Double[0.06, 4.9], Gen.Int[0, int.MaxValue]).Select((n, kind, every, power, seed) =>
        {
            var random = new Random(seed);
            double peak = Math.Exp(random.NextDouble() * Math.Log(1e3)) * 1e-5;
            int warmup = random.Next(0, n / 3);
            var lr = new double[n];
            for (int t = 1; t <= n; t++)
            {
                double x = (double)t / n;
                double eta = kind switch
                {
                    0 => peak * 0.5 * (1 + Math.Cos(Math.PI * x)) + 1e-7,
                    1 => t < n * 0.7 ? peak : peak * (1 - (x - 0.7) / 0.3) + peak * 0.01,
                    2 => peak * (t % 200 < 100 ? 1 : 0.1) * (1 + 0.3 * random.NextDouble()),
                    _ => (t / 97) % 5 == 0 ? 0 : peak * Math.Exp(-3 * x),
                };
                lr[t - 1] = t <= warmup ? eta * t / warmup : eta;
            }
            int[] steps = [.. Enumerable.Range(1, n).Where(t => t % every == 0 || t == n || random.NextDouble() < 0.01)];
            return (lr, steps, power);
        });

    [Fact]
    public void BlockMoments_EqualTheRecursion_OnRandomSchedules()
    {
        var law = new OptLaw(OptLaw.DefaultLags, [1e-4, 1e-3]);
        Property.ForAll(Case, c =>
        {
            var history = new ScheduleHistory(c.Lr);
            var expected = law.FeatureMatrix(history, c.Steps, c.Power);
            var blocks = new OptLawNoiseBlocks(law.Lags, law.Barriers, history, c.Steps);
            var actual = new double[c.Steps.Length, law.Lags.Count + law.Barriers.Count];
            blocks.Fill(c.Power, actual);
            for (int i = 0; i < c.Steps.Length; i++)
                for (int k = 0; k < actual.GetLength(1); k++)
                {
                    double e = expected[i, k], a = actual[i, k];
                    // Both are sums of the same positive terms in a different order: rounding only.
                    Assert.True(Math.Abs(a - e) <= 1e-12 * Math.Abs(e) + 1e-300, $"row {i} (step {c.Steps[i]}), feature {k}: {a:R} vs {e:R}");
                }
        }, iterations: 60);
    }

    [Fact]
    public void BlockMoments_OneBlockPerObservationOnAConstantLr_AreExact()
    {
        var law = new OptLaw();
        var history = new ScheduleHistory(Enumerable.Repeat(3e-4, 5000).ToArray());
        int[] steps = [1, 10, 100, 5000];
        var expected = law.FeatureMatrix(history, steps, 0.8);
        var actual = new double[steps.Length, law.Lags.Count];
        new OptLawNoiseBlocks(law.Lags, law.Barriers, history, steps).Fill(0.8, actual);
        for (int i = 0; i < steps.Length; i++)
            for (int k = 0; k < law.Lags.Count; k++) Property.Near(expected[i, k], actual[i, k], 1e-13, $"step {steps[i]} lag {k}");
    }

    /// <summary>
    /// The fit's call: two curves' noise features written into shared columns at their row offsets (the second curve's steps
    /// repeated, a zero-LR stretch and a constant stretch whose blocks share a centre); every row equals the recursion and the
    /// rows outside a curve's range are left as they were.
    /// </summary>
    [Fact]
    public void FillNoise_AtAnOffset_WritesItsRowsOnly_EqualToTheRecursion()
    {
        var law = new OptLaw();
        double[] first = [.. Enumerable.Range(1, 3000).Select(t => 6e-4 * 0.5 * (1 + Math.Cos(Math.PI * t / 3000)) + 6e-5)];
        double[] second = [.. Enumerable.Range(1, 2000).Select(t => t < 300 ? 0 : t < 1500 ? 3e-4 : 3e-4 * (2000 - t) / 500 + 3e-5)];
        int[] firstSteps = [.. Enumerable.Range(1, 30).Select(k => k * 100)];
        int[] secondSteps = [1, 50, 50, 299, 300, 400, 400, 400, 1000, 1400, 1500, 1700, 1999, 2000];
        int rows = 2 + firstSteps.Length + secondSteps.Length;
        var columns = Enumerable.Range(0, law.Lags.Count).Select(_ => Enumerable.Repeat(-7.0, rows).ToArray()).ToArray();
        foreach (double power in new[] { 0.06, 0.8, 4.9 })
        {
            new OptLawNoiseBlocks(law.Lags, [], new ScheduleHistory(first), firstSteps).FillNoise(power, columns, 1);
            new OptLawNoiseBlocks(law.Lags, [], new ScheduleHistory(second), secondSteps).FillNoise(power, columns, 1 + firstSteps.Length);
            var expectedFirst = law.FeatureMatrix(new ScheduleHistory(first), firstSteps, power);
            var expectedSecond = law.FeatureMatrix(new ScheduleHistory(second), secondSteps, power);
            for (int k = 0; k < law.Lags.Count; k++)
            {
                Assert.Equal(-7.0, columns[k][0]);
                Assert.Equal(-7.0, columns[k][rows - 1]);
                for (int i = 0; i < firstSteps.Length; i++) Property.Near(expectedFirst[i, k], columns[k][1 + i], 1e-12, $"p {power} first curve row {i} lag {k}");
                for (int i = 0; i < secondSteps.Length; i++)
                    Property.Near(expectedSecond[i, k], columns[k][1 + firstSteps.Length + i], 1e-12, $"p {power} second curve row {i} lag {k}");
            }
        }
    }

    /// <summary>
    /// The fill's interleaved Horner chains for any number of lags: 1 to 9 (every remainder of the SIMD width, padding lanes
    /// included) and 70 (a row longer than the fill's stack buffers, so on the heap); every value equals the recursion.
    /// </summary>
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(5)]
    [InlineData(8)]
    [InlineData(9)]
    [InlineData(70)]
    public void FillNoise_AnyNumberOfLags_EqualsTheRecursion(int count)
    {
        var law = new OptLaw([.. Enumerable.Range(0, count).Select(k => 1e-4 * Math.Pow(10, 5.0 * k / Math.Max(1, count - 1)))], []);
        double[] lr = [.. Enumerable.Range(1, 4000).Select(t => t <= 200 ? 6e-4 * t / 200 : 6e-4 * 0.5 * (1 + Math.Cos(Math.PI * (t - 200) / 3800)) + 6e-5)];
        int[] steps = [.. Enumerable.Range(1, 40).Select(k => k * 100)];
        var history = new ScheduleHistory(lr);
        var blocks = new OptLawNoiseBlocks(law.Lags, [], history, steps);
        foreach (double power in new[] { 0.06, 0.8, 4.9 })
        {
            var expected = law.FeatureMatrix(history, steps, power);
            var actual = new double[steps.Length, count];
            blocks.Fill(power, actual);
            for (int i = 0; i < steps.Length; i++)
                for (int k = 0; k < count; k++) Property.Near(expected[i, k], actual[i, k], 1e-12, $"p {power} row {i} lag {k} of {count}");
        }
    }
}
