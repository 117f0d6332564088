using HyperLaws.Laws;
using HyperLaws.Schedules;

namespace HyperLaws.Evaluation;

/// <summary>One term of two explained predictions: features and contributions of the winner and of the reference.</summary>
public sealed record TermDifference(string Name, string Formula, double WinnerFeature, double ReferenceFeature, double WinnerContribution, double ReferenceContribution)
{
    /// <summary>Winner's contribution minus the reference's: negative when this term favours the winner.</summary>
    public double Difference => WinnerContribution - ReferenceContribution;
}
