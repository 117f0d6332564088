namespace HyperLaws.Laws;

/// <summary>
/// The flat-ridge stop of <see cref="LawFitter"/>'s Levenberg-Marquardt loop (<see cref="FitOptions.RidgeTolerance"/>; issue 12,
/// declared in docs/VALIDATION.md, "MPL: stopping on a flat ridge"). Fed the Huber-transformed residuals psi_i of the start and
/// of every accepted point, it recovers the relative residuals r_i = (L_hat_i - L_i) / L_i (psi = r for |r| &lt;= delta,
/// psi = sign(r) sqrt(delta (2|r| - delta)) beyond, so |r| = (psi^2 / delta + delta) / 2 there) and says "stop" once
/// RMS_i(r_i(a) - r_i(a - k)) &lt; tolerance x RMS_i(r_i(a)) for the latest accepted point a and the one k accepted points
/// before it (the start counts as point 0). r_i(a) - r_i(a - k) = (L_hat_i(a) - L_hat_i(a - k)) / L_i: the relative change
/// of the predictions themselves over the window, compared with the fit's residual RMS (the data's scatter about the
/// curve), so a walk that moves the parameters a long way while the curves stay put (MPL's beta -> 0 ridge) stops.
/// </summary>
internal sealed class FlatRidgeStop
{
    private readonly double[][] _ring;
    private readonly double _tolerance;
    private readonly double _delta;
    private int _added;

    /// <param name="points">The number of residuals.</param>
    /// <param name="window">k: the accepted iterations looked back over (at least 1).</param>
    /// <param name="tolerance">The fraction of the residual RMS (positive).</param>
    /// <param name="huberDelta">The Huber threshold of the psi values fed in.</param>
    public FlatRidgeStop(int points, int window, double tolerance, double huberDelta)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(window, 1);
        if (!(tolerance > 0) || !double.IsFinite(tolerance)) throw new ArgumentOutOfRangeException(nameof(tolerance), tolerance, "The flat-ridge tolerance must be positive and finite.");
        _ring = new double[window + 1][];
        for (int i = 0; i < _ring.Length; i++) _ring[i] = new double[points];
        _tolerance = tolerance;
        _delta = huberDelta;
    }

    /// <summary>The latest window's RMS change of r over the RMS of r (NaN until a full window has been seen).</summary>
    public double LastRatio { get; private set; } = double.NaN;

    /// <summary>Records the residuals of the start or of an accepted point; true when the predictions moved less than the tolerance over the window.</summary>
    public bool Add(ReadOnlySpan<double> psi)
    {
        var current = _ring[_added % _ring.Length];
        if (psi.Length != current.Length) throw new ArgumentException($"Expected {current.Length} residuals, got {psi.Length}.", nameof(psi));
        for (int i = 0; i < psi.Length; i++)
        {
            double v = psi[i], a = Math.Abs(v);
            current[i] = a <= _delta ? v : Math.CopySign((v * v / _delta + _delta) / 2, v);
        }
        _added++;
        if (_added < _ring.Length) return false;
        var old = _ring[_added % _ring.Length];   // the entry k accepted points back (next to be overwritten)
        double change = 0, size = 0;
        for (int i = 0; i < current.Length; i++)
        {
            double d = current[i] - old[i];
            change += d * d;
            size += current[i] * current[i];
        }
        // Both sums over the same number of points: the ratio of the RMS values is that of the root sums.
        LastRatio = size > 0 ? Math.Sqrt(change / size) : (change > 0 ? double.PositiveInfinity : 0);
        return LastRatio < _tolerance;
    }
}
