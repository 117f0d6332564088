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
        catch (SweepEvidenceException e) when (settings.Options.Evidence is not null)
        {
            // The runs cannot centre the grid: none gives a peak LR, or the best one has no tokens per step (its budget unknown).
            throw new UserInputException(e.BestRun is null
                ? $"--runs: {e.Reason}, and none of the runs gives a peak LR to centre the grid."
                : $"--runs: {e.Reason}: give it with `hyperlaws import --tokens-per-step` or a `# tokens_per_step:` line.");
        }
        catch (SweepBudgetException e) when (settings.BudgetTexts.TryGetValue(e.Budget, out string? text))
        {
            // A budget of --budgets the design refuses: named by the option and as the user typed it ("1e3", not "1E+03").
            throw new UserInputException($"--budgets: '{Output.ErrorText.Echo(text)}' tokens {e.Problem}");
        }
    });
}
