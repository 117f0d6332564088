using HyperLaws.Evaluation;
using HyperLaws.Readers;

namespace HyperLaws.Validation;

/// <summary>A law's name and its score.</summary>
public sealed record NamedScore(string Law, LawScore Score);
