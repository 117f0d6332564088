namespace HyperLaws.Theory;

/// <summary>Stable command-line and JSON names of the regimes and optimizers.</summary>
public static class Names
{
    /// <summary>The regime's stable name ("lr-only", "fixed-momentum", "fixed-batch", "joint", "ridge", "fixed-lr").</summary>
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

    /// <summary>The optimizer's stable name ("nsgd", "signsgd", "muon").</summary>
    public static string Of(LmoOptimizer optimizer) => optimizer switch
    {
        LmoOptimizer.NormalizedSgd => "nsgd",
        LmoOptimizer.SignSgd => "signsgd",
        LmoOptimizer.Muon => "muon",
        _ => optimizer.ToString(),
    };

    /// <summary>Every regime's name, in the enum's order.</summary>
    public static IReadOnlyList<string> AllRegimes { get; } = Enum.GetValues<TuningRegime>().Select(Of).ToArray();

    /// <summary>Every optimizer's name, in the enum's order.</summary>
    public static IReadOnlyList<string> AllOptimizers { get; } = Enum.GetValues<LmoOptimizer>().Select(Of).ToArray();

    /// <summary>Parses a regime's name (case-insensitive); false when it names none.</summary>
    public static bool TryParseRegime(string text, out TuningRegime regime)
    {
        foreach (var r in Enum.GetValues<TuningRegime>())
        {
            if (string.Equals(Of(r), text, StringComparison.OrdinalIgnoreCase)) { regime = r; return true; }
        }
        regime = default;
        return false;
    }

    /// <summary>Parses an optimizer's name (case-insensitive); false when it names none.</summary>
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
