namespace HyperLaws.Readers.Internal;

/// <summary>
/// The keys a history of named values (a JSONL log, <see cref="GenericRunReader.ReadJsonl"/>; a W&amp;B run file,
/// <see cref="WandbRunFileReader"/>) is read by: each named by its option (<see cref="RunReadOptions.StepColumn"/>,
/// <see cref="RunReadOptions.LossColumn"/>, <see cref="RunReadOptions.LrColumn"/>), else the first of <see cref="MetricNames"/>' list
/// that some row has. A named loss key that is one of the validation keys is the validation loss; the other split is still found by
/// its keys. One rule for both readers (the copies had started to drift).
/// </summary>
internal readonly record struct HistoryKeys(string Step, string? Train, string? Validation, string? Lr)
{
    /// <summary>
    /// Chooses the keys among <paramref name="seen"/>. <paramref name="notSeen"/> makes the error for a named key no row has
    /// (option name, key), <paramref name="missing"/> the error for no step or no loss key ("step" or "loss").
    /// </summary>
    public static HistoryKeys Choose(RunReadOptions options, IReadOnlySet<string> seen, Func<string, string, RunFormatException> notSeen,
        Func<string, RunFormatException> missing)
    {
        string? Named(string? name, string what) => name is null || seen.Contains(name) ? name : throw notSeen(what, name);
        string? Alias(IEnumerable<string> names) => names.FirstOrDefault(seen.Contains);
        string step = Named(options.StepColumn, "step") ?? Alias(MetricNames.Steps) ?? throw missing("step");
        string? named = Named(options.LossColumn, "loss");
        bool namedIsVal = named is not null && MetricNames.ValidationLoss.Contains(named);
        string? train = named is not null && !namedIsVal ? named : Alias(MetricNames.TrainLoss);
        string? val = namedIsVal ? named : Alias(MetricNames.ValidationLoss);
        if (train is null && val is null) throw missing("loss");
        string? lr = Named(options.LrColumn, "lr") ?? Alias(MetricNames.Lr);
        return new HistoryKeys(step, train, val, lr);
    }

    /// <summary>The keys as the tag <c>keys</c> says them.</summary>
    public override string ToString() => $"step={Step}, train={Train ?? "-"}, val={Validation ?? "-"}, lr={Lr ?? "-"}";
}
