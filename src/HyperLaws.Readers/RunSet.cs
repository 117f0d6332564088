using HyperLaws.Runs;

namespace HyperLaws.Readers;

/// <summary>The runs read from a directory, and the files that could not be read (each with its reason).</summary>
public sealed record RunSet(IReadOnlyList<TrainingRun> Runs, IReadOnlyList<RunFormatException> Failures)
{
    /// <summary>Throws an <see cref="AggregateException"/> listing every failure, if there is any.</summary>
    public RunSet ThrowIfAnyFailed()
    {
        if (Failures.Count > 0)
            throw new AggregateException($"{Failures.Count} file(s) could not be read:{Environment.NewLine}" +
                string.Join(Environment.NewLine, Failures.Select(f => f.Message)), Failures);
        return this;
    }

    /// <summary>The first run named <paramref name="name"/>.</summary>
    /// <exception cref="KeyNotFoundException">No run has that name.</exception>
    public TrainingRun this[string name] =>
        Runs.FirstOrDefault(r => r.Name == name) ?? throw new KeyNotFoundException($"no run named '{name}'.");
}
