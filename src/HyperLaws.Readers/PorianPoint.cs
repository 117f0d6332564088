using HyperLaws.SizeLaws;

namespace HyperLaws.Readers;

/// <summary>One Porian et al. 2024 iso-FLOP run and its configuration.</summary>
public sealed record PorianPoint(string SourceFile, string Dataset, string Hparams, string Warmup, string Decay, string ParamCount, string LossSplit, double Flops, ScalingPoint Point)
{
    /// <summary>The configuration key: dataset/hparams/warmup/decay/param_count/loss_split.</summary>
    public string Configuration => $"{Dataset}/{Hparams}/{Warmup}/{Decay}/{ParamCount}/{LossSplit}";
}
