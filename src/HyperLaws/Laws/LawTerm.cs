namespace HyperLaws.Laws;

/// <summary>One named term of a prediction: what it is, its feature value, and what it adds to the loss.</summary>
/// <param name="Name">Short name (a parameter or feature name).</param>
/// <param name="Formula">What the term computes, in words a user can check.</param>
/// <param name="Feature">The term's feature value (1 for a constant).</param>
/// <param name="Contribution">What the term adds to the predicted loss; the terms sum to the prediction.</param>
public sealed record LawTerm(string Name, string Formula, double Feature, double Contribution);
