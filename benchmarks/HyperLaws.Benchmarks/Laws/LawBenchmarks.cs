using BenchmarkDotNet.Attributes;
using HyperLaws.Fitting;
using HyperLaws.Laws;
using HyperLaws.Readers;
using HyperLaws.Schedules;

namespace HyperLaws.Benchmarks.Laws;

/// <summary>
/// Fitting each law on the three 25M MPL training curves of validation protocol 1 (cosine_24000,
/// constant_24000, wsdcon_9; targets from the issue: under 1 s each), and MPL prediction of a
/// 100,000-step cosine run at 1,000 points (target: under 50 ms), with a fresh schedule history
/// (tree built inside) and with a warm one.
/// </summary>
[MemoryDiagnoser]
public class LawBenchmarks
{
    private IReadOnlyList<FitTarget> _training = [];
    private double[] _longRun = [];
    private int[] _points = [];
    private ScheduleHistory _warm = null!;
    private readonly double[] _mpl = MultiPowerLaw.Published["100M"];

    [GlobalSetup]
    public void Setup()
    {
        string root = DataRoot();
        _training = new[] { "cosine_24000", "constant_24000", "wsdcon_9" }.Select(name =>
        {
            var run = MplCsvReader.Read(Path.Combine(root, "csv_25", name + ".csv"));
            var points = run.Observations.Where(o => o.Step < 24000).ToArray();
            return new FitTarget(name, new ScheduleHistory(run.LearningRates), points.Select(o => o.Step).ToArray(), points.Select(o => o.Loss).ToArray());
        }).ToList();
        _longRun = LrSchedule.Parse("cosine(peak=3e-4,steps=100000,warmup=2160,floor=3e-5)").Evaluate();
        _points = Enumerable.Range(1, 1000).Select(i => i * 100).ToArray();
        _warm = new ScheduleHistory(_longRun);
        Predict(_warm);
    }

    [Benchmark(Description = "fit mpl on 3 MPL curves (25M)")]
    public LawFit FitMpl() => LawFitter.Fit(new MultiPowerLaw(), _training);

    [Benchmark(Description = "fit tissue on 3 MPL curves (25M)")]
    public LawFit FitTissue() => LawFitter.Fit(new AnnealingLaw(), _training);

    [Benchmark(Description = "fit convex on 3 MPL curves (25M)")]
    public LawFit FitConvex() => LawFitter.Fit(new ConvexBoundLaw(), _training);

    [Benchmark(Description = "mpl predict 100k-step run at 1,000 points (fresh history)")]
    public double PredictFresh() => Predict(new ScheduleHistory(_longRun));

    [Benchmark(Description = "mpl predict 100k-step run at 1,000 points (warm history)")]
    public double PredictWarm() => Predict(_warm);

    private double Predict(ScheduleHistory h)
    {
        var y = new double[_points.Length];
        new MultiPowerLaw().Predict(_mpl, h, _points, y);
        return y[^1];
    }

    private static string DataRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "data", "MultiPowerLaw", "loss_curve_repo");
            if (Directory.Exists(candidate)) return candidate;
        }
        throw new InvalidOperationException("data/MultiPowerLaw not found above " + AppContext.BaseDirectory);
    }
}
