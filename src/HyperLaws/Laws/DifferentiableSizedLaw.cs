
namespace HyperLaws.Laws;

/// <summary>A <see cref="SizedLaw"/> over a differentiable base law: derivatives by the chain rule.</summary>
internal sealed class DifferentiableSizedLaw(IFittableLaw baseLaw, SizeLawSpec spec) : SizedLaw(baseLaw, spec), IDifferentiableLaw
{
    private IDifferentiableLaw Differentiable => (IDifferentiableLaw)Base;

    public void PredictWithGradient(ReadOnlySpan<double> parameters, ScheduleHistory history, ReadOnlySpan<int> steps, Span<double> output, Span<double> gradient) =>
        Predict(parameters, history, steps, output);

    public void PredictWithGradient(ReadOnlySpan<double> parameters, ScheduleHistory history, double modelSize, ReadOnlySpan<int> steps, Span<double> output, Span<double> gradient)
    {
        var q = ParametersAt(parameters, modelSize);
        int nb = q.Length;
        if (gradient.Length < steps.Length * ParameterNames.Count) throw new ArgumentException("The gradient is shorter than steps x parameters.");
        var baseGradient = new double[steps.Length * nb];
        Differentiable.PredictWithGradient(q, history, steps, output, baseGradient);
        ChainRule(parameters, modelSize, q, baseGradient, steps.Length, gradient);
    }
}
