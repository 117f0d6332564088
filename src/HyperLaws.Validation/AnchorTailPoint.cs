namespace HyperLaws.Validation;

/// <summary>
/// One run a plan learned from, with its final evaluation hidden, and the anchor's O(a) by each estimator of docs/VALIDATION.md "The
/// plan's anchor without a final evaluation" (<see cref="AnchorTailCheck"/>).
/// </summary>
/// <param name="Run">The run.</param>
/// <param name="Steps">Its steps S.</param>
/// <param name="Final">Its hidden final evaluation (the finalValLoss tag at S, else a validation loss at S): the target.</param>
/// <param name="LastLogged">E0: its last logged point of the fitted split with the final evaluation hidden (the anchor before).</param>
/// <param name="Tail">E1: <see cref="Planning.AnchoredLoss.TailEstimate"/> with the plan's law.</param>
/// <param name="LawAtEnd">E2: the plan's law on the run's own point at S, F(S).</param>
/// <param name="Line">E3: a least-squares straight line through the tail's points (step, loss), read at S (law-free).</param>
/// <param name="Points">How many points the tail holds.</param>
public sealed record AnchorTailPoint(string Run, int Steps, double Final, double LastLogged, double Tail, double LawAtEnd, double Line, int Points);
