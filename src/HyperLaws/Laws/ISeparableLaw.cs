
namespace HyperLaws.Laws;

/// <summary>
/// A law whose prediction is linear in some of its parameters: L(t) = sum_j p[l_j] g_j(t; q) with l_j =
/// <see cref="LinearParameters"/> and q the other ("nonlinear") parameters in their order. The fitter then solves the linear
/// parameters in closed form for each q and searches only q (variable projection; <see cref="LawFitter"/>).
/// </summary>
internal interface ISeparableLaw : IDifferentiableLaw
{
    /// <summary>The indices l_j of the parameters the prediction is linear in, in increasing order.</summary>
    IReadOnlyList<int> LinearParameters { get; }

    /// <summary>
    /// The linear parameter whose value sets the accuracy of <see cref="Basis"/> (an index into the parameters, one of
    /// <see cref="LinearParameters"/>), or -1 when the basis does not depend on the linear values at all.
    /// </summary>
    int AccuracyParameter { get; }

    /// <summary>
    /// The basis g_j at <paramref name="steps"/>: <paramref name="basis"/>[i * nl + j] = g_j(steps[i]) (nl linear parameters), and
    /// <paramref name="basisGradient"/>[(i * nl + j) * nq + k] = d g_j(steps[i]) / d q_k (nq nonlinear parameters). The linear
    /// values in <paramref name="parameters"/> are not used in g, only to set the accuracy of approximations: a law that
    /// approximates a term (MPL's loss drop) computes g accurately enough for any linear values up to those in absolute value.
    /// </summary>
    void Basis(ReadOnlySpan<double> parameters, ScheduleHistory history, ReadOnlySpan<int> steps, Span<double> basis, Span<double> basisGradient);
}
