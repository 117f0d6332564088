using HyperLaws.SizeLaws;

namespace HyperLaws.Readers;

/// <summary>One Porian et al. 2024 iso-FLOP optimum (interpolated by the authors) for a configuration.</summary>
public sealed record PorianOptimum(string Configuration, double Flops, double NOpt, double TokensOpt, double LossOpt);
