namespace HyperLaws.Readers.Internal;

/// <summary>
/// A value written again for a key already written (a step's loss or LR): a run resumed from a checkpoint goes on logging from
/// that checkpoint's step, rewriting the steps it had logged after it, and the later write (the resumed run's, the trajectory that
/// continued) wins. A rewrite with a different value is a resume conflict, counted (the runs' tag <c>resumeConflicts</c>); with
/// <see cref="RunReadOptions.StrictDuplicates"/> it is an error naming both writes. The one rule of the text logs
/// (<see cref="TextLog"/>: llm.c, speedrun, Megatron, fairseq) and of the generic CSV/JSONL and exported tables
/// (<see cref="GenericRunReader"/>).
/// </summary>
internal static class LaterWins
{
    /// <summary>
    /// Writes <paramref name="value"/> at <paramref name="key"/>; when a different value is there already, counts a conflict in
    /// <paramref name="conflicts"/> (or throws <c>FILE:WHERE: WHAT is X here and Y at PREFIX PREVWHERE.</c> when
    /// <paramref name="options"/> asks for strict duplicates; <paramref name="what"/> names the key, as "the training loss after 5 updates").
    /// </summary>
    internal static void Put<TKey>(IDictionary<TKey, (double Value, string Where)> map, TKey key, double value, string where,
        string path, RunReadOptions options, ref int conflicts, Func<TKey, string> what, string wherePrefix = "line ")
    {
        if (map.TryGetValue(key, out var prev) && !prev.Value.Equals(value))
        {
            if (options.StrictDuplicates)
                throw new RunFormatException(path, where, $"{what(key)} is {RunAssembly.Fmt(value)} here and {RunAssembly.Fmt(prev.Value)} at {wherePrefix}{prev.Where}.");
            conflicts++;
        }
        map[key] = (value, where);
    }
}
