using HyperLaws.Theory;

namespace HyperLaws.Cli.Commands.Scale;

/// <summary>Solves a scaling problem: settings -> <see cref="Scaling"/> -> result; no console I/O.</summary>
internal static class ScaleHandler
{
    public static ScaleResult Run(ScaleSettings settings) =>
        new(UserInputException.Guard(() => Scaling.Solve(settings.Problem, settings.Constants)), settings.Optimizer, settings.Rho);
}
