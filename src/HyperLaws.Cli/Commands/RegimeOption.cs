using System.CommandLine;
using HyperLaws.Cli.Options;
using HyperLaws.Theory;

namespace HyperLaws.Cli.Commands;

/// <summary>The --regime option shared by scale and transfer.</summary>
internal static class RegimeOption
{
    public static Option<string> Create(bool includeFixedLr)
    {
        var names = Names.AllRegimes.Where(n => includeFixedLr || n != Names.Of(TuningRegime.FixedLearningRate)).ToArray();
        var option = new Option<string>("--regime")
        {
            Description = "Tuning regime: lr-only (A: eta tuned), fixed-momentum (Theorem 1: eta, b), fixed-batch (Theorem 2: eta, beta), "
                          + "joint (Theorem 3: all), ridge (b ~ T^c path, Remark 4)"
                          + (includeFixedLr ? ", fixed-lr (b tuned at a fixed eta)." : "."),
            Required = true,
            HelpName = string.Join('|', names),
        };
        CliOptions.AcceptOnly(option, names);
        return option;
    }

    public static TuningRegime Read(ParseResult r, Option<string> option)
    {
        _ = Names.TryParseRegime(r.GetValue(option)!, out var regime);
        return regime;
    }

    public static string Describe(TuningRegime regime) => regime switch
    {
        TuningRegime.LrOnly => "regime A: LR tuned, batch and momentum fixed",
        TuningRegime.FixedMomentum => "Theorem 1: LR and batch tuned at fixed momentum",
        TuningRegime.FixedBatch => "Theorem 2: LR and momentum tuned at fixed batch",
        TuningRegime.Joint => "Theorem 3: LR, momentum and batch tuned jointly",
        TuningRegime.Ridge => "Remark 4: a batch-growth path on the ridge b/alpha = u*(T)",
        TuningRegime.FixedLearningRate => "batch tuned at a fixed LR and momentum",
        _ => regime.ToString(),
    };
}
