using HyperLaws.Evaluation;
using HyperLaws.Fitting;
using HyperLaws.Laws;
using HyperLaws.Readers;

namespace HyperLaws.Validation;

/// <summary>
/// Protocol 1 of shared/docs/validation.md, the MPL split: per model size, fit on cosine_24000,
/// constant_24000 and wsdcon_9; predict the other six curves at their logged steps, the point at step
/// 24000 of 24000-step runs dropped (as the MPL repository does).
/// </summary>
public static class MplSplit
{
    /// <summary>The MPL model sizes, in millions of parameters (the <c>csv_25</c>, <c>csv_100</c>, <c>csv_400</c> folders).</summary>
    public static IReadOnlyList<string> Sizes { get; } = ["25", "100", "400"];

    /// <summary>The three training curves of each size (file names without <c>.csv</c>).</summary>
    public static IReadOnlyList<string> Train { get; } = ["cosine_24000", "constant_24000", "wsdcon_9"];

    /// <summary>The six predicted curves of each size (file names without <c>.csv</c>).</summary>
    public static IReadOnlyList<string> Test { get; } = ["constant_72000", "cosine_72000", "wsd_20000_24000", "wsdld_20000_24000", "wsdcon_3", "wsdcon_18"];

    /// <summary>Every curve of a size: the training curves, then the test curves.</summary>
    public static IReadOnlyList<string> All { get; } = [.. Train, .. Test];

    /// <summary>Published MPL results (Luo et al. 2025) on this split, per size.</summary>
    public static IReadOnlyDictionary<string, PublishedScore> Published { get; } = new Dictionary<string, PublishedScore>
    {
        ["25"] = new(0.00110, 0.0041, 0.9988),
        ["100"] = new(0.00142, 0.0058, 0.9983),
        ["400"] = new(0.00168, 0.0100, 0.9978),
    };

    /// <summary>Model size in parameters for a size label ("25" is 25M).</summary>
    public static double Parameters(string size) => double.Parse(size, System.Globalization.CultureInfo.InvariantCulture) * 1e6;

    /// <summary>The folder of the MPL curves under a data folder laid out like shared/data.</summary>
    public static string CurveFolder(string dataRoot)
    {
        string root = Path.Combine(dataRoot, "MultiPowerLaw", "loss_curve_repo");
        if (!Directory.Exists(root)) throw new ValidationDataException($"{root}: not found (the data folder must be laid out like shared/data).");
        return root;
    }

    /// <summary>One curve as a fit target (named like "cosine_24000@25M", model size set), with the protocol's point dropped.</summary>
    public static FitTarget Target(string dataRoot, string size, string name)
    {
        string path = Path.Combine(CurveFolder(dataRoot), "csv_" + size, name + ".csv");
        if (!File.Exists(path)) throw new ValidationDataException($"{path}: missing (the MPL protocols need all nine schedules per size).");
        try
        {
            var run = MplCsvReader.Read(path);
            var points = run.Observations.Where(o => run.Steps != 24000 || o.Step < 24000).ToArray();
            return FitTarget.Of(run, points) with { ModelSize = run.Metadata.Parameters ?? Parameters(size) };
        }
        catch (FormatException e)
        {
            throw new ValidationDataException(e.Message);
        }
    }

    /// <summary>The named curves of one size as fit targets (<see cref="Target"/>), in the order given.</summary>
    /// <exception cref="ValidationDataException">A curve is missing or cannot be read.</exception>
    public static IReadOnlyList<FitTarget> Targets(string dataRoot, string size, IEnumerable<string> names) =>
        [.. names.Select(n => Target(dataRoot, size, n))];

    /// <summary>
    /// Fits each law on the size's training curves and scores it on the test curves. With <paramref name="cache"/> each fit goes
    /// through it (<see cref="CachedLaw"/>: keyed on the law, its fit options and the curves), so a second run skips the fits.
    /// </summary>
    public static SizeResult Run(string dataRoot, string size, IReadOnlyList<string> laws, Action<string>? progress = null, IFitCache? cache = null)
    {
        if (!Published.ContainsKey(size)) throw new ArgumentException($"unknown size '{size}' (known: {string.Join(", ", Sizes)}).");
        var train = Targets(dataRoot, size, Train);
        var test = Targets(dataRoot, size, Test);
        var scores = new List<NamedScore>();
        foreach (string name in laws)
        {
            progress?.Invoke($"{size}M, fitting {name} ...");
            var started = System.Diagnostics.Stopwatch.StartNew();
            var law = LawCatalog.Create(name);
            var score = LawComparison.Score(cache is null ? law : new CachedLaw(law, cache), train, test);
            progress?.Invoke($"{size}M, {name} done in {started.Elapsed.TotalSeconds:F1} s");
            scores.Add(new NamedScore(name, score));
        }
        return new SizeResult(size, train, test, scores, Published[size]);
    }
}
