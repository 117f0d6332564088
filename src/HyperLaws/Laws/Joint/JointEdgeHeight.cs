namespace HyperLaws.Laws.Joint;

/// <summary>How the stability-edge term's height H is set (<see cref="JointStabilityEdge.FixedHeight"/>; the two variants declared in docs/VALIDATION.md).</summary>
public enum JointEdgeHeight
{
    /// <summary>H fitted by the linear solve in [0, H_max].</summary>
    Fitted,

    /// <summary>H fixed at H_max, the divergence plateau's height: the term is P(diverge) times the plateau's excess loss.</summary>
    Plateau,
}
