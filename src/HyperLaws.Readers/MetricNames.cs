namespace HyperLaws.Readers;

/// <summary>
/// The key names tried, in order, for a run's step, training loss, validation loss and learning rate when a table or a JSONL log
/// names none (<see cref="RunReadOptions.StepColumn"/>, <see cref="RunReadOptions.LossColumn"/>, <see cref="RunReadOptions.LrColumn"/>):
/// one list for the CSV exports (<see cref="ExportedCsvReader"/>) and the generic JSONL (<see cref="GenericRunReader.ReadJsonl"/>).
/// </summary>
public static class MetricNames
{
    /// <summary>
    /// Step keys. The trainer's own counter comes before W&amp;B's <c>_step</c>: <c>_step</c> counts the <c>wandb.log</c> calls unless the
    /// trainer passes <c>step=</c>, and nanoGPT (<c>wandb.log({"iter": iter_num, ...})</c>), Lightning's <c>WandbLogger</c>
    /// (<c>trainer/global_step</c>) and Hugging Face's <c>WandbCallback</c> (<c>train/global_step</c>) log their counter as a key instead.
    /// </summary>
    public static readonly IReadOnlyList<string> Steps = ["step", "iter", "iteration", "global_step", "trainer/global_step", "train/global_step", "Step", "_step"];

    /// <summary>Training-loss keys (the metric part, for W&amp;B UI exports).</summary>
    public static readonly IReadOnlyList<string> TrainLoss = ["train/loss", "loss", "train_loss", "train/lm_loss", "lm loss", "lm_loss", "train/loss_step"];

    /// <summary>Validation-loss keys (read by the JSONL reader; a CSV export is read for one loss column).</summary>
    public static readonly IReadOnlyList<string> ValidationLoss = ["val/loss", "val_loss", "eval/loss", "eval_loss", "validation/loss", "validation_loss", "valid_loss"];

    /// <summary>Learning-rate keys.</summary>
    public static readonly IReadOnlyList<string> Lr = ["lr", "learning_rate", "train/lr", "train/learning_rate", "optimizer/lr", "trainer/learning_rate", "lr-AdamW"];
}
