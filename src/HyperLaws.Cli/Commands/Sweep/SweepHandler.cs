using HyperLaws.Planning.Sweeps;

namespace HyperLaws.Cli.Commands.Sweep;

/// <summary>Designs the sweep: settings -> <see cref="SweepDesigner"/> -> design; no console I/O.</summary>
internal static class SweepHandler
{
    public static SweepDesign Run(SweepSettings settings) => UserInputException.Guard(() => SweepDesigner.Design(settings.Options));
}
