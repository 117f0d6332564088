namespace HyperLaws.Fitting;

/// <summary>
/// A term of a law that the fitted curves cannot identify (<see cref="Identification"/>), and what the fit did about it.
/// </summary>
/// <param name="Law">The law's name.</param>
/// <param name="Term">The term, e.g. "loss drop" (MPL), "annealing" (tissue), "noise" (OptLaw), "peak-LR terms" (joint).</param>
/// <param name="Parameters">The law's parameters of that term.</param>
/// <param name="Reason">Why the curves cannot identify it, e.g. "no fitted curve shows an LR decrement".</param>
/// <param name="Remedy">The run that would identify it.</param>
/// <param name="Prior">What the fit held the parameters at, with its source (see <see cref="DecayPrior"/>); null when they were left free.</param>
public sealed record UnidentifiedTerm(string Law, string Term, IReadOnlyList<string> Parameters, string Reason, string Remedy, string? Prior)
{
    /// <summary>One line for a console: the term, why, the prior (or that it is free) and the remedy.</summary>
    public string Describe() =>
        $"{Law}: the {Term} term ({string.Join(", ", Parameters)}) is not identified: {Reason}; "
        + (Prior is null ? "its parameters were left free, so what the law predicts through it is arbitrary"
            : Prior == Identification.JointPrior ? Prior : $"held at a prior: {Prior}")
        + $"; {Remedy}";
}
