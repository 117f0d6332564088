
namespace HyperLaws.Laws;

/// <summary>
/// A law that also gives the derivatives of its predictions with respect to its parameters; the
/// fitter then uses them instead of a finite-difference Jacobian.
/// </summary>
public interface IDifferentiableLaw : IFittableLaw
{
    /// <summary>
    /// Like <see cref="ILossLaw.Predict(ReadOnlySpan{double}, ScheduleHistory, ReadOnlySpan{int}, Span{double})"/>, and also writes d output[i] / d parameter[j] into
    /// <paramref name="gradient"/>[i * n + j] (row-major, n = number of parameters).
    /// </summary>
    void PredictWithGradient(ReadOnlySpan<double> parameters, ScheduleHistory history, ReadOnlySpan<int> steps, Span<double> output, Span<double> gradient);

    /// <summary>The same for a model of <paramref name="modelSize"/> parameters (see <see cref="ILossLaw"/>); laws of one size ignore it.</summary>
    void PredictWithGradient(ReadOnlySpan<double> parameters, ScheduleHistory history, double modelSize, ReadOnlySpan<int> steps, Span<double> output, Span<double> gradient) =>
        PredictWithGradient(parameters, history, steps, output, gradient);
}
