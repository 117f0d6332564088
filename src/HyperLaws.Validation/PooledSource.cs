namespace HyperLaws.Validation;

/// <summary>One source of the pooled size exponent: its name and its fit objective as a function of beta (every other parameter refitted).</summary>
/// <param name="Name">The source, printed.</param>
/// <param name="Objective">O_s(beta): the source's own fit's objective with the offset's size exponent fixed to beta (+infinity or NaN: no fit).</param>
public sealed record PooledSource(string Name, Func<double, double> Objective);
