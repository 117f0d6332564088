using HyperLaws.Theory;

namespace HyperLaws.Planning;

/// <summary>Names, parsing and the facts a plan needs about each <see cref="TrainingOptimizer"/>.</summary>
public static class TrainingOptimizers
{
    /// <summary>The command-line names, in enum order.</summary>
    public static readonly IReadOnlyList<string> Names = ["adamw", "muon", "signsgd", "nsgd"];

    /// <summary>The optimizer's command-line name.</summary>
    public static string Name(this TrainingOptimizer o) => Names[(int)o];

    /// <summary>
    /// Optimizers of Marin's sweep (Wen, Hall, Ma, Liang 2025, "Fantastic Pretraining Optimizers and Where to Find Them", arXiv 2509.02046)
    /// that no rule here is for, each with its names and the range of its best peak LR over AdamW's best in the same (size, Chinchilla
    /// multiple) cells of the sweep's tables (130m-520m, 1x-16x, 6-14 cells each; docs/VALIDATION.md, "Planned LR for the optimizers Marin
    /// measured"); for NAdamW and SOAP, the two with 1.2b tables, also their ratio there (2 in all four cells: "Muon's LR 'as is' at
    /// 1.2b"). A measurement on one recipe and data set (Llama, DCLM, batch 128-256 x 4,096), stated to the user, not a rule applied.
    /// </summary>
    internal static readonly IReadOnlyList<(string[] Names, string Display, string Ratio, string? At1B)> MeasuredWithoutRule =
    [
        (["lion"], "Lion", "1/8-1/4", null),
        (["kron"], "Kron", "1/16-1/4", null),
        (["sophia"], "Sophia", "1/4-1/2", null),
        (["nadamw", "nadam"], "NAdamW", "1/2-1", "2x"),
        (["adam-mini", "adammini", "mini"], "Adam-Mini", "1/2-1", null),
        (["soap", "soape"], "SOAP", "1/2-2", "2x"),
        (["mars"], "Mars", "1/2-2", null),
        (["cautious"], "Cautious", "1-2", null),
        (["scion"], "Scion", "1-2", null),
    ];

    /// <summary>
    /// The optimizer named <paramref name="text"/> (case-insensitive), or an <see cref="ArgumentException"/> listing the names; for an
    /// optimizer Marin's sweep measured that no rule here is for (<see cref="MeasuredWithoutRule"/>: Lion, NAdamW, SOAP, ...) the message says
    /// so, with its measured LR ratio to AdamW's (it said "'lion' is not an optimizer").
    /// </summary>
    public static TrainingOptimizer Parse(string text)
    {
        string? trimmed = text?.Trim();
        int i = Names.ToList().FindIndex(n => string.Equals(n, trimmed, StringComparison.OrdinalIgnoreCase));
        if (i >= 0) return (TrainingOptimizer)i;
        foreach (var (names, display, ratio, at1B) in MeasuredWithoutRule)
            if (names.Any(n => string.Equals(n, trimmed, StringComparison.OrdinalIgnoreCase)))
                throw new ArgumentException($"'{text}' ({display}) has no LR rule here: the rules are for {string.Join(", ", Names)}. In Marin's optimizer sweep "
                    + $"(Wen et al. 2025, 130M-520M models) {display}'s best peak LR was {ratio} x AdamW's at the same size and data{(at1B is null ? "" : $" ({at1B} at 1.2B)")}: use adamw and scale its LR "
                    + "by that ratio yourself, or plan from runs of it (their LR level is carried as is).");
        throw new ArgumentException($"'{text}' is not an optimizer: use one of {string.Join(", ", Names)}.");
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
