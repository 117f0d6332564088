namespace HyperLaws.Planning.Sweeps;

/// <summary>
/// A budget given to the sweep (<see cref="SweepOptions.Budgets"/>) that the design cannot use: the message is
/// "budget B tokens <see cref="Problem"/>"; a front end that has the budget as its user typed it names it so
/// (<see cref="Budget"/> is the value it parsed).
/// </summary>
/// <param name="budget">The budget refused, in tokens.</param>
/// <param name="shown">The budget as the message shows it.</param>
/// <param name="problem">What is wrong with it, after "budget B tokens " (e.g. "is too small: ...").</param>
public sealed class SweepBudgetException(double budget, string shown, string problem) : ArgumentException($"budget {shown} tokens {problem}")
{
    /// <summary>The budget refused, in tokens.</summary>
    public double Budget { get; } = budget;

    /// <summary>What is wrong with it, after "budget B tokens ".</summary>
    public string Problem { get; } = problem;
}
