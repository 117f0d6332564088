using HyperLaws.Evaluation;

namespace HyperLaws.Cli.Commands.Compare;

/// <summary>One law's row of a comparison.</summary>
/// <param name="Name">The law.</param>
/// <param name="Score">Its fit and scores on the test runs.</param>
/// <param name="Supported">Every prediction of the test runs is a loss the training runs support (<see cref="HyperLaws.Planning.LossPlausibility.NonPhysical"/>).</param>
internal sealed record CompareScore(string Name, LawScore Score, bool Supported);
