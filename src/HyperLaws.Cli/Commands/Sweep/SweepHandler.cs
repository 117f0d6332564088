using HyperLaws.Planning.Sweeps;

namespace HyperLaws.Cli.Commands.Sweep;

/// <summary>Designs the sweep: settings -> <see cref="SweepDesigner"/> -> design; no console I/O.</summary>
internal static class SweepHandler
{
    public static SweepDesign Run(SweepSettings settings) => UserInputException.Guard(() =>
    {
        try
        {
            return SweepDesigner.Design(settings.Options);
        }
        catch (SweepBudgetException e) when (settings.BudgetTexts.TryGetValue(e.Budget, out string? text))
        {
            // A budget of --budgets the design refuses: named by the option and as the user typed it ("1e3", not "1E+03").
            throw new UserInputException($"--budgets: '{Output.ErrorText.Echo(text)}' tokens {e.Problem}");
        }
    });
}
