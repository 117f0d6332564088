using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using static System.FormattableString;

namespace HyperLaws.Benchmarks.Cli;

/// <summary>
/// The child process's CPU time (user + sys) over the measured iterations: mean, and the range, in seconds. The values are recorded by
/// the benchmark itself (<see cref="ChildCpuTime"/>), so the column needs the in-process toolchain that <see cref="CliProcessConfig"/> sets.
/// </summary>
internal sealed class CpuTimeColumn : IColumn
{
    public string Id => nameof(CpuTimeColumn);
    public string ColumnName => "CPU (user+sys)";
    public bool AlwaysShow => true;
    public ColumnCategory Category => ColumnCategory.Custom;
    public int PriorityInCategory => 0;
    public bool IsNumeric => false;
    public UnitType UnitType => UnitType.Dimensionless;
    public string Legend => "The child process's user + sys CPU time over the measured iterations: mean (min-max), seconds";

    public bool IsAvailable(Summary summary) => true;
    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        var report = summary[benchmarkCase];
        if (report is null) return "-";
        int measured = report.AllMeasurements.Count(m => m.IterationMode == IterationMode.Workload && m.IterationStage == IterationStage.Actual);
        var cpu = ChildCpuTime.Last(benchmarkCase.Descriptor.WorkloadMethod.Name, measured);
        return cpu.Count == 0 ? "-" : Invariant($"{cpu.Average():F2} s ({cpu.Min():F2}-{cpu.Max():F2})");
    }

    public override string ToString() => ColumnName;
}
