using BenchmarkDotNet.Attributes;
using HyperLaws.Laws;
using HyperLaws.Readers;
using HyperLaws.Schedules;

namespace HyperLaws.Benchmarks.Laws;

/// <summary>
/// Fitting each law on the three MPL training curves of validation protocol 1 (cosine_24000,
/// constant_24000, wsdcon_9) at each model size (target from the issue: under 1 s each).
/// </summary>
[MemoryDiagnoser]
public class LawFitBenchmarks
{
    private IReadOnlyList<FitTarget> _training = [];

    [Params("25", "100", "400")]
    public string Size { get; set; } = "25";

    [GlobalSetup]
    public void Setup()
    {
        string root = LawPredictBenchmarks.DataRoot();
        _training = new[] { "cosine_24000", "constant_24000", "wsdcon_9" }.Select(name =>
        {
            var run = MplCsvReader.Read(Path.Combine(root, "csv_" + Size, name + ".csv"));
            var points = run.Observations.Where(o => o.Step < 24000).ToArray();
            return new FitTarget(name, new ScheduleHistory(run.LearningRates), points.Select(o => o.Step).ToArray(), points.Select(o => o.Loss).ToArray());
        }).ToList();
    }

    [Benchmark(Description = "fit optlaw on 3 MPL curves")]
    public LawFit FitOptLaw() => LawFitter.Fit(new OptLaw(), _training);

    [Benchmark(Description = "fit mpl on 3 MPL curves")]
    public LawFit FitMpl() => LawFitter.Fit(new MultiPowerLaw(), _training);

    [Benchmark(Description = "fit tissue on 3 MPL curves")]
    public LawFit FitTissue() => LawFitter.Fit(new AnnealingLaw(), _training);

    [Benchmark(Description = "fit convex on 3 MPL curves")]
    public LawFit FitConvex() => LawFitter.Fit(new ConvexBoundLaw(), _training);
}

/// <summary>
/// Prediction of a 100,000-step cosine run at 1,000 points (target: under 50 ms): MPL with a fresh
/// schedule history (its tree built inside) and a warm one; OptLaw (one pass over the history).
/// </summary>
[MemoryDiagnoser]
public class LawPredictBenchmarks
{
    private double[] _longRun = [];
    private int[] _points = [];
    private ScheduleHistory _warm = null!;
    private readonly double[] _mpl = MultiPowerLaw.Published["100M"];

    private double[] _optlaw = [];

    [GlobalSetup]
    public void Setup()
    {
        _longRun = LrSchedule.Parse("cosine(peak=3e-4,steps=100000,warmup=2160,floor=3e-5)").Evaluate();
        _points = Enumerable.Range(1, 1000).Select(i => i * 100).ToArray();
        _warm = new ScheduleHistory(_longRun);
        Predict(_warm);
        // OptLaw with weights on a third of its lags (a fitted law has a few non-zero ones; the cost does not depend on them).
        var law = new OptLaw();
        _optlaw = [3.0, 0.5, 0.5, 0.01, 0.8, .. law.Lags.Select((_, i) => i % 3 == 0 ? 100.0 : 0)];
    }

    [Benchmark(Description = "mpl predict 100k-step run at 1,000 points (fresh history)")]
    public double PredictFresh() => Predict(new ScheduleHistory(_longRun));

    [Benchmark(Description = "mpl predict 100k-step run at 1,000 points (warm history)")]
    public double PredictWarm() => Predict(_warm);

    [Benchmark(Description = "optlaw predict 100k-step run at 1,000 points")]
    public double PredictOptLaw()
    {
        var y = new double[_points.Length];
        new OptLaw().Predict(_optlaw, new ScheduleHistory(_longRun), _points, y);
        return y[^1];
    }

    private double Predict(ScheduleHistory h)
    {
        var y = new double[_points.Length];
        new MultiPowerLaw().Predict(_mpl, h, _points, y);
        return y[^1];
    }

    internal static string DataRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "data", "MultiPowerLaw", "loss_curve_repo");
            if (Directory.Exists(candidate)) return candidate;
        }
        throw new InvalidOperationException("data/MultiPowerLaw not found above " + AppContext.BaseDirectory);
    }
}
