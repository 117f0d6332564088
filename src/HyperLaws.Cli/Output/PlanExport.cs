using System.Globalization;
using System.Text;
using HyperLaws.Planning;
using HyperLaws.Schedules;

namespace HyperLaws.Cli.Output;

/// <summary>
/// <c>plan --export DIR</c>: hands a plan to a trainer. Writes the LR of every step (<c>lr_schedule.csv</c>, step 1..S,
/// the LR of update s as the plan's schedule gives it), a Python module that reads it (<c>lr_schedule.py</c>: a callable
/// and a <c>torch.optim.lr_scheduler.LambdaLR</c> factory), and config fragments for Hugging Face
/// <c>TrainingArguments</c>, torchtitan, LitGPT and nanoGPT. The fragments carry the plan's batch, steps, peak LR,
/// warmup and momentum; the optimizer's other settings (AdamW's beta2, epsilon, weight decay, gradient clipping; Muon's)
/// are not decided by the plan and are given as stated priors with their source (<see cref="Priors"/>).
/// The trainers' own schedulers cannot all express the plan's schedule: the exact LR is the CSV, read by the LambdaLR.
/// </summary>
public static class PlanExport
{
    /// <summary>The file of the per-step LRs.</summary>
    public const string CsvName = "lr_schedule.csv";

    /// <summary>The Python module that reads <see cref="CsvName"/>.</summary>
    public const string PythonName = "lr_schedule.py";

    /// <summary>An optimizer setting the plan does not decide: its value and where it comes from.</summary>
    public sealed record Prior(string Name, string Value, string Source);

    /// <summary>
    /// The optimizer settings beyond LR, batch and momentum, as priors. AdamW: beta2 0.95, epsilon 1e-8, weight decay 0.1,
    /// gradient clipping at global norm 1.0, the GPT-3 recipe (Brown et al. 2020, arXiv 2005.14165, appendix B), also
    /// Llama 2's (Touvron et al. 2023, arXiv 2307.09288, section 2.2). Muon (on the 2-D weight matrices; AdamW as above
    /// on embeddings, head, norms and biases): Nesterov momentum, 5 Newton-Schulz steps, weight decay 0.1, the update
    /// scaled by 0.2 sqrt(max(rows, cols)) so that its RMS matches AdamW's and the AdamW LR carries over
    /// (Liu et al. 2025, "Muon is scalable for LLM training", arXiv 2502.16982; K. Jordan's reference implementation).
    /// </summary>
    public static IReadOnlyList<Prior> Priors(TrainingOptimizer optimizer)
    {
        const string gpt3 = "GPT-3 recipe (Brown et al. 2020, arXiv 2005.14165, app. B), as in Llama 2 (arXiv 2307.09288)";
        var adamw = new List<Prior>
        {
            new("adamw_beta2", "0.95", gpt3),
            new("adamw_eps", "1.0e-8", gpt3),
            new("weight_decay", "0.1", gpt3 + "; decoupled (AdamW)"),
            new("grad_clip_norm", "1.0", gpt3),
        };
        if (optimizer != TrainingOptimizer.Muon) return adamw;
        const string muon = "Liu et al. 2025, arXiv 2502.16982 (Muon is scalable), K. Jordan's reference Muon";
        return
        [
            new("muon_nesterov", "true", muon),
            new("muon_ns_steps", "5", muon),
            new("muon_weight_decay", "0.1", muon),
            new("muon_update_scale", "0.2 * sqrt(max(rows, cols))", muon + ": matches AdamW's update RMS, so the plan's (AdamW-scale) LR is used as is"),
            .. adamw.Select(p => p with { Source = p.Source + "; AdamW on the non-matrix parameters" }),
        ];
    }

    /// <summary>
    /// Writes the export into <paramref name="directory"/> (created when missing) through one <see cref="OutputFolder"/>: staged,
    /// then moved into place together, so an interrupted export leaves the folder as it was. Returns the paths written.
    /// </summary>
    public static IReadOnlyList<string> Write(TrainingPlan plan, string directory)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var schedule = plan.Best.Schedule;
        double[] lr = schedule.Evaluate();
        var settings = Settings.Of(plan, lr);
        var files = new List<(string Name, string Text)>
        {
            (CsvName, Csv(lr)),
            (PythonName, Python(settings)),
            ("hf_training_args.py", HuggingFace(settings)),
            ("torchtitan.toml", Torchtitan(settings)),
            ("litgpt.yaml", LitGpt(settings)),
            ("nanogpt_config.py", NanoGpt(settings)),
            ("optimizer.md", OptimizerNotes(settings)),
        };
        using var folder = OutputFolder.Begin("--export", directory);
        foreach (var (name, text) in files) Files.WriteAtomic(Path.Combine(folder.Staging, name), text);
        return folder.Commit([.. files.Select(f => f.Name)]);
    }

    /// <summary><c>step,lr</c> for every step 1..S, the LR in round-trip precision.</summary>
    public static string Csv(double[] lr)
    {
        var sb = new StringBuilder(lr.Length * 24);
        sb.Append("step,lr\n");
        for (int i = 0; i < lr.Length; i++)
            sb.Append((i + 1).ToString(CultureInfo.InvariantCulture)).Append(',').Append(R(lr[i])).Append('\n');
        return sb.ToString();
    }

    /// <summary>What the fragments need from a plan.</summary>
    private sealed record Settings(
        string Spec, string Family, int Steps, double Peak, int Warmup, int Cooldown, double Floor, string Shape,
        double BatchTokens, int BatchSequences, int SequenceLength, double Momentum, TrainingOptimizer Optimizer, double FinalLr, IReadOnlyList<Prior> Priors)
    {
        public static Settings Of(TrainingPlan plan, double[] lr)
        {
            var s = plan.Best.Schedule;
            var hp = plan.Hyperparameters;
            double peak = s is WarmupSchedule w ? w.Peak : lr.Max();
            int warmup = s is WarmupSchedule wu ? wu.Warmup : 0;
            (int cooldown, double floor, string shape) = s switch
            {
                WsdSchedule wsd => (wsd.CooldownLength, wsd.Floor, wsd.Shape.ToString().ToLowerInvariant()),
                CosineSchedule c => (s.Steps - warmup, c.Floor, "cosine"),
                _ => (0, peak, "none"),
            };
            return new Settings(s.ToSpec(), s.Family.Name, s.Steps, peak, warmup, cooldown, floor, shape, hp.BatchTokens, hp.BatchSequences,
                plan.Request.SequenceLength, hp.Momentum, plan.Request.Optimizer, lr[^1], PlanExport.Priors(plan.Request.Optimizer));
        }

        public string Prior(string name) => Priors.First(p => p.Name == name).Value;

        public string Header(string comment) =>
            $"{comment} hyperlaws plan export: {Spec}\n{comment} {Steps} steps x {BatchSequences} sequences of {SequenceLength} tokens ({G(BatchTokens)} tokens per step), peak LR {R(Peak)}, warmup {Warmup}, momentum (beta1) {R(Momentum)}.\n" +
            $"{comment} The exact per-step LR is lr_schedule.csv; the trainer's built-in scheduler below is the closest it offers (see the notes).\n" +
            string.Concat(Priors.Select(p => $"{comment} prior: {p.Name} = {p.Value} ({p.Source})\n"));
    }

    private static string Python(Settings s) => $$"""
        # hyperlaws plan export: the plan's LR at every step, read from lr_schedule.csv (beside this file).
        # Schedule: {{s.Spec}}
        #
        #   lr_at(step)  -> the LR of update `step` (1-based, as in the CSV; after the last step, the last LR)
        #   lambda_lr(optimizer) -> torch.optim.lr_scheduler.LambdaLR giving that LR, with the optimizer's lr set to PEAK
        #
        # PyTorch's LambdaLR applies factor(0) to the first update and factor(i) after i calls of scheduler.step(), so
        # call scheduler.step() once after every optimizer.step().
        import csv
        import os

        PEAK = {{R(s.Peak)}}
        STEPS = {{s.Steps}}

        def _load(path=None):
            path = path or os.path.join(os.path.dirname(os.path.abspath(__file__)), "lr_schedule.csv")
            with open(path, newline="") as f:
                rows = list(csv.DictReader(f))
            lrs = [float(r["lr"]) for r in rows]
            if [int(r["step"]) for r in rows] != list(range(1, len(lrs) + 1)):
                raise ValueError(f"{path}: steps are not 1..{len(lrs)}")
            return lrs

        LRS = _load()

        def lr_at(step):
            if step < 1:
                raise ValueError(f"step {step}: steps start at 1")
            return LRS[min(step, len(LRS)) - 1]

        def factor(index):
            # LambdaLR's multiplier after `index` scheduler steps: the LR of update index + 1, over PEAK.
            return lr_at(index + 1) / PEAK

        def lambda_lr(optimizer):
            from torch.optim.lr_scheduler import LambdaLR
            for group in optimizer.param_groups:
                group["lr"] = PEAK
                group["initial_lr"] = PEAK
            return LambdaLR(optimizer, factor)

        """;

    private static string HuggingFace(Settings s) => s.Header("#") + $$"""
        # Hugging Face transformers: TrainingArguments with the plan, and the exact schedule as the Trainer's scheduler.
        # per_device_train_batch_size x gradient_accumulation_steps x world size must equal {{s.BatchSequences}} sequences.
        import torch
        from transformers import Trainer, TrainingArguments
        from lr_schedule import PEAK, STEPS, lambda_lr

        args = TrainingArguments(
            output_dir="out",
            max_steps=STEPS,
            learning_rate=PEAK,
            warmup_steps={{s.Warmup}},
            lr_scheduler_type="constant_with_warmup",  # replaced by the exact schedule below
            adam_beta1={{R(s.Momentum)}},
            adam_beta2={{s.Prior("adamw_beta2")}},
            adam_epsilon={{s.Prior("adamw_eps")}},
            weight_decay={{s.Prior("weight_decay")}},
            max_grad_norm={{s.Prior("grad_clip_norm")}},
            per_device_train_batch_size=1,       # set with gradient_accumulation_steps to {{s.BatchSequences}} sequences in all
            gradient_accumulation_steps={{s.BatchSequences}},
        )

        def trainer_with_plan_schedule(model, train_dataset, **kwargs):
            optimizer = torch.optim.AdamW(model.parameters(), lr=PEAK, betas=({{R(s.Momentum)}}, {{s.Prior("adamw_beta2")}}), eps={{s.Prior("adamw_eps")}}, weight_decay={{s.Prior("weight_decay")}})
            return Trainer(model=model, args=args, train_dataset=train_dataset, optimizers=(optimizer, lambda_lr(optimizer)), **kwargs)

        """;

    private static string Torchtitan(Settings s) => s.Header("#") + $$"""
        # torchtitan job config fragment. torchtitan's scheduler is linear warmup, a stable phase, then a decay over
        # decay_ratio of the steps after the warmup (decay_type linear, sqrt or cosine) to min_lr_factor x lr (older
        # releases: lr_min). {{(s.Family is "wsd" or "cosine" or "constant" ? "The plan's schedule maps onto it." : "The plan's schedule is no WSD: use lr_schedule.py's LambdaLR for the exact LR.")}}
        [optimizer]
        name = "{{(s.Optimizer == TrainingOptimizer.Muon ? "Muon" : "AdamW")}}"
        lr = {{R(s.Peak)}}
        beta1 = {{R(s.Momentum)}}
        beta2 = {{s.Prior("adamw_beta2")}}
        eps = {{s.Prior("adamw_eps")}}
        weight_decay = {{s.Prior("weight_decay")}}

        [lr_scheduler]
        warmup_steps = {{s.Warmup}}
        decay_ratio = {{R(s.Steps > s.Warmup ? (double)s.Cooldown / (s.Steps - s.Warmup) : 0)}}
        decay_type = "{{(s.Shape is "linear" or "sqrt" or "cosine" ? s.Shape : "linear")}}"
        min_lr_factor = {{R(s.Peak > 0 ? s.Floor / s.Peak : 0)}}

        [training]
        steps = {{s.Steps}}
        seq_len = {{s.SequenceLength}}
        global_batch_size = {{s.BatchSequences}}
        max_norm = {{s.Prior("grad_clip_norm")}}

        """;

    private static string LitGpt(Settings s) => s.Header("#") + $$"""
        # LitGPT pretrain config fragment. LitGPT's schedule is linear warmup then cosine decay to min_lr: it matches the
        # plan only when the plan is a cosine; otherwise use lr_schedule.py's LambdaLR for the exact LR.
        train:
          global_batch_size: {{s.BatchSequences}}
          max_seq_length: {{s.SequenceLength}}
          max_tokens: {{((long)s.Steps * s.BatchSequences * s.SequenceLength).ToString(CultureInfo.InvariantCulture)}}
          lr_warmup_steps: {{s.Warmup}}
          min_lr: {{R(s.Floor)}}
          max_norm: {{s.Prior("grad_clip_norm")}}
        optimizer:
          class_path: torch.optim.AdamW
          init_args:
            lr: {{R(s.Peak)}}
            weight_decay: {{s.Prior("weight_decay")}}
            betas: [{{R(s.Momentum)}}, {{s.Prior("adamw_beta2")}}]
            eps: {{s.Prior("adamw_eps")}}

        """;

    private static string NanoGpt(Settings s) => s.Header("#") + $$"""
        # nanoGPT-style config (python train.py this_file.py). nanoGPT's get_lr is linear warmup then cosine to min_lr;
        # for the exact schedule replace get_lr(it) with lr_schedule.lr_at(it + 1) (nanoGPT counts iterations from 0).
        max_iters = {{s.Steps}}
        lr_decay_iters = {{s.Steps}}
        learning_rate = {{R(s.Peak)}}
        warmup_iters = {{s.Warmup}}
        min_lr = {{R(s.Floor)}}
        decay_lr = True
        beta1 = {{R(s.Momentum)}}
        beta2 = {{s.Prior("adamw_beta2")}}
        weight_decay = {{s.Prior("weight_decay")}}
        grad_clip = {{s.Prior("grad_clip_norm")}}
        block_size = {{s.SequenceLength}}
        # batch_size x gradient_accumulation_steps x world size = {{s.BatchSequences}} sequences per step
        batch_size = 1
        gradient_accumulation_steps = {{s.BatchSequences}}

        """;

    private static string OptimizerNotes(Settings s)
    {
        var sb = new StringBuilder();
        sb.Append("# Optimizer settings of the plan\n\n");
        sb.Append(CultureInfo.InvariantCulture, $"Decided by the plan: peak LR {R(s.Peak)}, schedule `{s.Spec}`, {s.Steps} steps, batch {s.BatchSequences} x {s.SequenceLength} tokens, momentum (beta1) {R(s.Momentum)} ({s.Optimizer.Name()}).\n\n");
        sb.Append("Not decided by the plan, stated priors from published recipes:\n\n| setting | value | source |\n|---|---|---|\n");
        foreach (var p in s.Priors) sb.Append(CultureInfo.InvariantCulture, $"| {p.Name} | {p.Value} | {p.Source} |\n");
        return sb.ToString();
    }

    /// <summary>Round-trip text that Python, TOML and YAML 1.1 all read as a float: 1.0E-05 (never 1E-05), 0.0 (never 0).</summary>
    private static string R(double v)
    {
        string t = v.ToString("R", CultureInfo.InvariantCulture);
        int e = t.IndexOf('E', StringComparison.Ordinal);
        string mantissa = e > 0 ? t[..e] : t;
        return mantissa.Contains('.', StringComparison.Ordinal) ? t : mantissa + ".0" + (e > 0 ? t[e..] : "");
    }

    private static string G(double v) => v.ToString("G6", CultureInfo.InvariantCulture);
}
