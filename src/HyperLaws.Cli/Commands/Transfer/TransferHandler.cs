using HyperLaws.Theory;

namespace HyperLaws.Cli.Commands.Transfer;

/// <summary>Runs a transfer: settings -> <see cref="BudgetTransfer"/> -> result; no console I/O.</summary>
internal static class TransferHandler
{
    public static TransferResult Run(TransferSettings settings)
    {
        var t = UserInputException.Guard(() => BudgetTransfer.Transfer(settings.Request));
        if (!double.IsFinite(t.Batch) || !double.IsFinite(t.LearningRate) || !double.IsFinite(t.Momentum))
            throw new UserInputException("the transferred hyperparameters overflow (a batch, LR or momentum is not finite); give budgets and a batch of ordinary size.");
        return t;
    }
}
