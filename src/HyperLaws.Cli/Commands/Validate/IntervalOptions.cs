using System.CommandLine;
using HyperLaws.Cli.Options;

namespace HyperLaws.Cli.Commands.Validate;

/// <summary>The <c>--intervals</c> options of <c>hyperlaws validate</c> and their parse-time check.</summary>
/// <param name="Intervals">--intervals: calibrate intervals instead of the scoreboard.</param>
/// <param name="Replicates">--replicates (protocol 1's bootstrap).</param>
/// <param name="Scheme">--scheme (protocol 1's bootstrap).</param>
/// <param name="Seed">--seed (protocol 1's bootstrap).</param>
/// <param name="Level">--level of the intervals.</param>
internal sealed record IntervalOptions(Option<bool> Intervals, Option<int?> Replicates, Option<string> Scheme, Option<int?> Seed, Option<double?> Level)
{
    /// <summary>Bootstrap replicates per law and size when --replicates is not given.</summary>
    public const int DefaultReplicates = 100;

    /// <summary>The options, with their help.</summary>
    public static IntervalOptions Create() => new(
        CliOptions.Flag("--intervals", "Instead of the scoreboard: bootstrap each law on the training curves and report how many held-out points and final losses fall inside its prediction interval (protocol 1); with protocols 2, 3 and 6, calibrate split-conformal intervals on the training runs and report the held-out final losses inside (protocol 9)."),
        BootstrapCli.Replicates($"Bootstrap replicates per law and size for --intervals (default {DefaultReplicates})."),
        BootstrapCli.Scheme(),
        BootstrapCli.Seed(),
        BootstrapCli.Level("Level of the prediction intervals for --intervals (default 0.9)."));

    /// <summary>The bootstrap's options make sense only with --intervals (checked at parse time).</summary>
    public void NeedsIntervals(System.CommandLine.Parsing.CommandResult result)
    {
        if (result.GetResult(Intervals) is { Implicit: false }) return;
        foreach (var o in new Option[] { Replicates, Scheme, Seed, Level })
            if (result.GetResult(o) is { Implicit: false })
            {
                result.AddError($"{o.Name} needs --intervals.");
                return;
            }
    }
}
