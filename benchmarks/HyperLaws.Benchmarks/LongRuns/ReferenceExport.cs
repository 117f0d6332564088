using System.Globalization;
using System.Text;
using HyperLaws.Benchmarks.Laws;
using HyperLaws.Laws;
using HyperLaws.Readers;

namespace HyperLaws.Benchmarks.LongRuns;

/// <summary>
/// Writes the protocol-1 curves of one model size for benchmarks/scipy_reference.py: per curve its LR at
/// every step (<c>NAME.lr</c>, one value a line) and its fitted/held-out points (<c>NAME.points</c>,
/// <c>step,loss</c>), with the role in <c>curves.csv</c>; then fits each law here on the training curves
/// (one warm-up fit for the JIT, then the median of three timed fits) and writes <c>ours.csv</c>
/// (law, wall seconds, CPU seconds of the process over the fit (user + sys, all threads), parameters; the median fit by CPU time, as the
/// SciPy side's ratios are CPU ratios; timed by <see cref="ScaleSweep.Time"/>). The split is protocol 1's: fit cosine_24000, constant_24000, wsdcon_9;
/// hold out the other six; the point at step 24000 of 24000-step runs dropped.
/// <code>
/// dotnet run -c Release --project benchmarks/HyperLaws.Benchmarks -- reference 25 /tmp/ref25
/// python3 benchmarks/scipy_reference.py /tmp/ref25
/// </code>
/// </summary>
public static class ReferenceExport
{
    public static int Run(string[] args)
    {
        string size = args.Length > 1 ? args[1] : "25", dir = args.Length > 2 ? args[2] : "ref" + size;
        Directory.CreateDirectory(dir);
        string root = Path.Combine(LawPredictBenchmarks.DataRoot(), "csv_" + size);
        string[] train = ["cosine_24000", "constant_24000", "wsdcon_9"];
        string[] test = ["constant_72000", "cosine_72000", "wsd_20000_24000", "wsdld_20000_24000", "wsdcon_3", "wsdcon_18"];
        var roles = new StringBuilder("name,role\n");
        var targets = new List<FitTarget>();
        foreach (string name in train.Concat(test))
        {
            var run = MplCsvReader.Read(Path.Combine(root, name + ".csv"));
            var points = run.Observations.Where(o => !(o.Step == 24000 && run.LearningRates.Length == 24000)).ToArray();
            File.WriteAllLines(Path.Combine(dir, name + ".lr"), run.LearningRates.Select(x => x.ToString("R", CultureInfo.InvariantCulture)));
            File.WriteAllText(Path.Combine(dir, name + ".points"), "step,loss\n" + string.Concat(points.Select(o =>
                o.Step.ToString(CultureInfo.InvariantCulture) + "," + o.Loss.ToString("R", CultureInfo.InvariantCulture) + "\n")));
            bool isTrain = train.Contains(name);
            roles.Append(name).Append(',').Append(isTrain ? "train" : "test").Append('\n');
            if (isTrain) targets.Add(FitTarget.Of(run, points));
        }
        File.WriteAllText(Path.Combine(dir, "curves.csv"), roles.ToString());
        var ours = new StringBuilder("law,seconds,cpu_seconds,parameters\n");
        foreach (string law in new[] { "tissue", "mpl" })
        {
            ScaleSweep.Time(law, targets, 1);   // JIT warm-up
            var (wall, cpu, fit) = ScaleSweep.Time(law, targets, 3, medianByCpu: true);
            ours.Append(law).Append(',').Append(wall.ToString("F4", CultureInfo.InvariantCulture)).Append(',')
                .Append(cpu.ToString("F4", CultureInfo.InvariantCulture)).Append(',')
                .Append(string.Join(' ', fit.Parameters.Select(x => x.ToString("R", CultureInfo.InvariantCulture)))).Append('\n');
            Console.WriteLine($"{law}: {wall:F3} s wall, {cpu:F3} s CPU, objective {fit.Objective:G6}");
        }
        File.WriteAllText(Path.Combine(dir, "ours.csv"), ours.ToString());
        Console.WriteLine("wrote " + dir);
        return 0;
    }
}
