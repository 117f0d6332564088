namespace HyperLaws.Readers;

/// <summary>
/// Which TensorBoard scalar tags hold the train loss, the validation loss and the learning rate. The
/// first tag of each list that occurs in the file is used (case-sensitive).
/// </summary>
public sealed record TensorBoardTagMap(IReadOnlyList<string> TrainLoss, IReadOnlyList<string> ValidationLoss, IReadOnlyList<string> LearningRate)
{
    /// <summary>
    /// Common tag names, in order of preference: e.g. the Hugging Face Trainer's <c>train/loss</c>,
    /// <c>eval/loss</c> and <c>train/learning_rate</c>, and PyTorch Lightning's <c>lr-AdamW</c> (its LR monitor).
    /// </summary>
    public static TensorBoardTagMap Default { get; } = new(
        ["train/loss", "loss", "train_loss", "training_loss", "train/lm_loss", "Loss/train"],
        ["val/loss", "eval/loss", "val_loss", "validation/loss", "eval_loss", "valid/loss", "Loss/val"],
        ["lr", "train/lr", "learning_rate", "train/learning_rate", "lr-AdamW", "optimizer/lr"]);
}
