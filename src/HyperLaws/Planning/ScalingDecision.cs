using HyperLaws.Theory;
using static System.FormattableString;

namespace HyperLaws.Planning;

/// <summary>
/// The batch, momentum and LR scale of a plan: the level of the user's runs (<see cref="RunReference"/>) carried to the
/// target by a scaling rule. With a calibration (<see cref="LrBatchCalibration"/>) the rule is the LMO theory's transfer
/// (lmo-scaling.md, "Budget transfer"): the ridge path b ~ T^c, alpha = 1 - beta ~ T^(c - 1/2), eta ~ T^(c - 3/4), with c the
/// batch exponent the runs show (clipped to the theory's [0, 1/2]; 1/2, Theorem 1, when they cannot tell). Without one, the
/// published anchor's ratios: eta = eta_ref eta*(N, T)/eta*(N_ref, T_ref), B likewise, and the momentum on the ridge path
/// of the anchor's own batch exponent.
/// </summary>
/// <param name="Hyperparameters">The decided batch, steps, momentum and LR (the rule's value at the target).</param>
/// <param name="Scale">Target LR per unit of the reference's LR: the plan's schedules are the law's (in the runs' LR units) times this.</param>
/// <param name="Figure">The rules sampled over budgets, for the scaling figures.</param>
/// <param name="Reasons">What decided each value.</param>
/// <param name="Warnings">Assumptions and extrapolations.</param>
public sealed record ScalingDecision(PlanHyperparameters Hyperparameters, double Scale, ScalingFigureData Figure, IReadOnlyList<PlanReason> Reasons, IReadOnlyList<PlanWarning> Warnings);
