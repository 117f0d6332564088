using HyperLaws.Cli.Output;

namespace HyperLaws.Cli.Commands.Validate;

/// <summary>Prints a <see cref="ValidateResult"/> as tables or one JSON object, through the protocol's renderer and <see cref="ResultOutput"/>.</summary>
internal static class ValidateRenderer
{
    /// <summary>Writes the result to stdout (one JSON object when <paramref name="json"/>).</summary>
    public static void Write(CliIo io, ValidateResult result, bool json)
    {
        switch (result)
        {
            case MplSplitScoreboard r: ResultOutput.Write(io, r, MplSplitRenderer.Instance, json); break;
            case LrHoldOutScoreboard r: ResultOutput.Write(io, r, LrHoldOutRenderer.Instance, json); break;
            case LrScheduleRankingScoreboard r: ResultOutput.Write(io, r, LrScheduleRankingRenderer.Instance, json); break;
            case LrScheduleCrossSizeScoreboard r: ResultOutput.Write(io, r, LrScheduleCrossSizeRenderer.Instance, json); break;
            case CrossSizeScoreboard r: ResultOutput.Write(io, r, CrossSizeRenderer.Instance, json); break;
            case ScheduleGridScoreboard r: ResultOutput.Write(io, r, ScheduleGridRenderer.Instance, json); break;
            case StepLawScoreboard r: ResultOutput.Write(io, r, StepLawRenderer.Instance, json); break;
            case StepLawJointScoreboard r: ResultOutput.Write(io, r, StepLawJointRenderer.Instance, json); break;
            case LrSweepHoldOutScoreboard r: ResultOutput.Write(io, r, LrSweepHoldOutRenderer.Instance, json); break;
            case MarinSizeScoreboard r: ResultOutput.Write(io, r, MarinSizeRenderer.Instance, json); break;
            case LrSweepOptimizersScoreboard r: ResultOutput.Write(io, r, LrSweepOptimizersRenderer.Instance, json); break;
            case MarinChangesScoreboard r: ResultOutput.Write(io, r, MarinChangesRenderer.Instance, json); break;
            case HorizonSweepScoreboard r: ResultOutput.Write(io, r, HorizonSweepRenderer.Instance, json); break;
            case CriticalBatchScoreboard r: ResultOutput.Write(io, r, CriticalBatchRenderer.Instance, json); break;
            case PlanBacktestScoreboard r: ResultOutput.Write(io, r, PlanBacktestRenderer.Instance, json); break;
            case PlanBacktestSetsScoreboard r: ResultOutput.Write(io, r, PlanBacktestSetsRenderer.Instance, json); break;
            case LrAxisScoreboard r: ResultOutput.Write(io, r, LrAxisRenderer.Instance, json); break;
            case LrTransferScoreboard r: ResultOutput.Write(io, r, LrTransferRenderer.Instance, json); break;
            case CrossDataScoreboard r: ResultOutput.Write(io, r, CrossDataRenderer.Instance, json); break;
            case BootstrapIntervalScoreboard r: ResultOutput.Write(io, r, BootstrapIntervalRenderer.Instance, json); break;
            case ConformalIntervalScoreboard r: ResultOutput.Write(io, r, ConformalIntervalRenderer.Instance, json); break;
            default: throw new InvalidOperationException($"validate: no renderer for {result.GetType().Name}.");
        }
    }
}
