namespace HyperLaws.Laws;

/// <summary>A law that may declare a box on its parameters, which <see cref="LawFitter"/> keeps its fits inside (<see cref="ParameterBounds"/>).</summary>
public interface IBoundedLaw : IFittableLaw
{
    /// <summary>The box (one entry per parameter); null: no bounds, the fit as without this interface.</summary>
    ParameterBounds? Bounds { get; }
}
