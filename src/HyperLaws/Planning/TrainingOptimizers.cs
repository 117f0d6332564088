using HyperLaws.Theory;

namespace HyperLaws.Planning;

/// <summary>Names, parsing and the facts a plan needs about each <see cref="TrainingOptimizer"/>.</summary>
public static class TrainingOptimizers
{
    /// <summary>The command-line names, in enum order.</summary>
    public static readonly IReadOnlyList<string> Names = ["adamw", "muon", "signsgd", "nsgd"];

    /// <summary>The optimizer's command-line name.</summary>
    public static string Name(this TrainingOptimizer o) => Names[(int)o];

    /// <summary>The optimizer named <paramref name="text"/> (case-insensitive), or an <see cref="ArgumentException"/> listing the names.</summary>
    public static TrainingOptimizer Parse(string text)
    {
        int i = Names.ToList().FindIndex(n => string.Equals(n, text?.Trim(), StringComparison.OrdinalIgnoreCase));
        return i >= 0 ? (TrainingOptimizer)i : throw new ArgumentException($"'{text}' is not an optimizer: use one of {string.Join(", ", Names)}.");
    }

    /// <summary>The LMO method of the theory (lmo-scaling.md) that models this optimizer: Adam and AdamW by signSGD.</summary>
    public static LmoOptimizer Lmo(this TrainingOptimizer o) => o switch
    {
        TrainingOptimizer.Muon => LmoOptimizer.Muon,
        TrainingOptimizer.NormalizedSgd => LmoOptimizer.NormalizedSgd,
        _ => LmoOptimizer.SignSgd,
    };

    /// <summary>
    /// The momentum (beta1 for AdamW) of the published recipes: 0.9 for AdamW (Step Law and DeepSeek LLM both train
    /// with beta1 = 0.9), signSGD and normalized SGD; 0.95 for Muon (its reference implementation and Liu et al. 2025).
    /// </summary>
    public static double AnchorMomentum(this TrainingOptimizer o) => o == TrainingOptimizer.Muon ? 0.95 : 0.9;
}
