
namespace HyperLaws.Laws;

/// <summary>
/// A differentiable law that can give, from one evaluation, both what <see cref="ILossLaw.Predict(ReadOnlySpan{double}, ScheduleHistory, ReadOnlySpan{int}, Span{double})"/>
/// and what <see cref="IDifferentiableLaw.PredictWithGradient(ReadOnlySpan{double}, ScheduleHistory, ReadOnlySpan{int}, Span{double}, Span{double})"/>
/// would give at the same parameters, bit for bit. <see cref="LawFitter"/> then evaluates each Levenberg-Marquardt trial point this way
/// and, when the point is accepted, takes the next iteration's Jacobian from it instead of evaluating the law again there
/// (MPL: its tree walk is most of a fit's time; the walk and its nodes are shared by the two results).
/// </summary>
internal interface IFusedGradientLaw : IDifferentiableLaw
{
    /// <summary>
    /// <paramref name="values"/>: Predict's values; <paramref name="gradientValues"/> and <paramref name="gradient"/>: PredictWithGradient's
    /// values and derivatives (row-major, n a step), each equal bit for bit to the separate call's.
    /// </summary>
    void PredictFused(ReadOnlySpan<double> parameters, ScheduleHistory history, ReadOnlySpan<int> steps, Span<double> values, Span<double> gradientValues, Span<double> gradient);
}
