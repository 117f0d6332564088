namespace HyperLaws.Planning.Sweeps;

/// <summary>A calibration sweep: its budgets, runs (in launch order), cost, and the reasons and warnings to show.</summary>
/// <param name="SweepParams">Model size of every run.</param>
/// <param name="SmallestBudget">The smallest budget whose every grid run holds the warmup plus the minimum steps.</param>
/// <param name="Notes">Why the sweep looks the way it does (rules, rounding, raised budgets).</param>
/// <param name="Warnings">What the user should look at (cost, one budget only, budgets close to T).</param>
public sealed record SweepDesign(
    SweepOptions Options, double SweepParams, IReadOnlyList<SweepBudget> Budgets, IReadOnlyList<SweepRun> Runs,
    SweepCost Cost, double SmallestBudget, IReadOnlyList<string> Notes, IReadOnlyList<string> Warnings);
