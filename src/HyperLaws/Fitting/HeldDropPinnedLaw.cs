using HyperLaws.Laws;

namespace HyperLaws.Fitting;

/// <summary>
/// MPL pinned with its whole loss drop held (B, C, beta, gamma: <see cref="MultiPowerLaw.DropParameters"/>, as
/// <see cref="DecayPrior"/> holds it): LD(t) then does not depend on the free parameters (L0, A, alpha), so the drop tree is walked
/// once per curve and mode (<see cref="MultiPowerLaw.HoldDrop"/>, kept here) and every prediction and gradient after it is L0 + A S1^-alpha
/// minus the held drop (<see cref="MultiPowerLaw.PredictHeld"/>): the numbers of <see cref="DifferentiablePinnedLaw"/>, which walks the
/// tree at every evaluation, bit for bit (issue 12, helper heldjac; docs/VALIDATION.md, "MPL held at its decay prior: the drop walked once").
/// </summary>
internal sealed class HeldDropPinnedLaw : PinnedLaw, IDifferentiableLaw
{
    /// <summary>
    /// Steps kept at most over all held drops, the oldest drop dropped first: a fit's curves, each start's copies of them and the
    /// coarse stage's thinned points; a bootstrap's replicates (new steps each) pass through. A step costs up to 84 bytes kept (its
    /// step and a 40-byte drop per mode walked), so 10^6 steps bound the memory at about 84 MB whatever the curves' lengths (a cap of
    /// 64 drops, before, kept up to 0.5 GB of 10^5-step curves). One drop longer than the cap is kept alone (the call needs it). A
    /// drop dropped and needed again is walked again: at most the walking law's cost (one walk per evaluation), never more.
    /// </summary>
    internal const int DefaultMaxPoints = 1_000_000;

    /// <summary>The cap on the steps kept (<see cref="DefaultMaxPoints"/>; smaller in the tests).</summary>
    internal int MaxPoints { get; init; } = DefaultMaxPoints;

    /// <summary>The steps the kept drops hold now (for the tests).</summary>
    internal int PointsKept { get; private set; }

    private readonly MultiPowerLaw _mpl;
    private readonly List<MultiPowerLaw.HeldDrop> _drops = [];

    public HeldDropPinnedLaw(MultiPowerLaw inner, IReadOnlyDictionary<int, double> pins, IReadOnlyList<double[]> starts)
        : base(inner, pins, starts)
    {
        if (!Holds(inner, pins)) throw new ArgumentException("The held-drop law needs every drop parameter of MPL pinned.");
        _mpl = inner;
    }

    /// <summary>Whether <paramref name="pins"/> hold all of <paramref name="inner"/>'s drop parameters (the held drop applies).</summary>
    public static bool Holds(IFittableLaw inner, IReadOnlyDictionary<int, double> pins) =>
        inner is MultiPowerLaw && MultiPowerLaw.DropParameters.All(pins.ContainsKey);

    /// <summary>How many held drops were made (each walked at most once per mode; for the tests).</summary>
    internal int DropsMade { get; private set; }

    public override void Predict(ReadOnlySpan<double> parameters, ScheduleHistory history, ReadOnlySpan<int> steps, Span<double> output)
    {
        var p = Expand(parameters);
        _mpl.PredictHeld(p, Drop(p, history, steps), output, default, gradient: false);
    }

    /// <summary>MPL takes no model size (its Predict ignores one), so neither does this.</summary>
    public override void Predict(ReadOnlySpan<double> parameters, ScheduleHistory history, double modelSize, ReadOnlySpan<int> steps, Span<double> output) =>
        Predict(parameters, history, steps, output);

    public void PredictWithGradient(ReadOnlySpan<double> parameters, ScheduleHistory history, ReadOnlySpan<int> steps, Span<double> output, Span<double> gradient)
    {
        var p = Expand(parameters);
        var full = new double[steps.Length * FullCount];
        _mpl.PredictHeld(p, Drop(p, history, steps), output, full, gradient: true);
        Columns(full, steps.Length, gradient);
    }

    public void PredictWithGradient(ReadOnlySpan<double> parameters, ScheduleHistory history, double modelSize, ReadOnlySpan<int> steps, Span<double> output, Span<double> gradient) =>
        PredictWithGradient(parameters, history, steps, output, gradient);

    /// <summary>
    /// The held drop of this history and these steps: a kept one, or a new one (walked on first use, <see cref="MultiPowerLaw.PredictHeld"/>)
    /// kept. The fitter calls from several threads (starts side by side on their own copies of the histories, curves side by side); the
    /// lock covers only the look-up, a walk runs under the drop's own lock.
    /// </summary>
    private MultiPowerLaw.HeldDrop Drop(double[] p, ScheduleHistory history, ReadOnlySpan<int> steps)
    {
        lock (_drops)
        {
            for (int i = _drops.Count - 1; i >= 0; i--)
                if (_drops[i].Holds(_mpl, p, history, steps)) return _drops[i];
            var drop = _mpl.HoldDrop(p, history, steps);
            DropsMade++;
            while (_drops.Count > 0 && (long)PointsKept + steps.Length > MaxPoints)
            {
                PointsKept -= _drops[0].Steps.Length;
                _drops.RemoveAt(0);
            }
            _drops.Add(drop);
            PointsKept += steps.Length;
            return drop;
        }
    }
}
