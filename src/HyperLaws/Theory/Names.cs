namespace HyperLaws.Theory;

/// <summary>Stable command-line and JSON names of the regimes and optimizers.</summary>
public static class Names
{
    public static string Of(TuningRegime regime) => regime switch
    {
        TuningRegime.LrOnly => "lr-only",
        TuningRegime.FixedMomentum => "fixed-momentum",
        TuningRegime.FixedBatch => "fixed-batch",
        TuningRegime.Joint => "joint",
        TuningRegime.Ridge => "ridge",
        TuningRegime.FixedLearningRate => "fixed-lr",
        _ => regime.ToString(),
    };

    public static string Of(LmoOptimizer optimizer) => optimizer switch
    {
        LmoOptimizer.NormalizedSgd => "nsgd",
        LmoOptimizer.SignSgd => "signsgd",
        LmoOptimizer.Muon => "muon",
        _ => optimizer.ToString(),
    };

    public static IReadOnlyList<string> AllRegimes { get; } = Enum.GetValues<TuningRegime>().Select(Of).ToArray();

    public static IReadOnlyList<string> AllOptimizers { get; } = Enum.GetValues<LmoOptimizer>().Select(Of).ToArray();

    public static bool TryParseRegime(string text, out TuningRegime regime)
    {
        foreach (var r in Enum.GetValues<TuningRegime>())
        {
            if (string.Equals(Of(r), text, StringComparison.OrdinalIgnoreCase)) { regime = r; return true; }
        }
        regime = default;
        return false;
    }

    public static bool TryParseOptimizer(string text, out LmoOptimizer optimizer)
    {
        foreach (var o in Enum.GetValues<LmoOptimizer>())
        {
            if (string.Equals(Of(o), text, StringComparison.OrdinalIgnoreCase)) { optimizer = o; return true; }
        }
        optimizer = default;
        return false;
    }
}
