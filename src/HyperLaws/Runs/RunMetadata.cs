namespace HyperLaws.Runs;

/// <summary>What is known about a run besides its curves. Everything but the name is optional.</summary>
public sealed record RunMetadata(string Name)
{
    /// <summary>Model size N (parameters; non-embedding where the source says so).</summary>
    public double? Parameters { get; init; }

    /// <summary>Tokens consumed per optimizer step (batch x sequence length).</summary>
    public double? TokensPerStep { get; init; }

    /// <summary>Sequences per optimizer step.</summary>
    public int? BatchSize { get; init; }

    /// <summary>Tokens per sequence.</summary>
    public int? SequenceLength { get; init; }

    /// <summary>Total tokens of the run as planned (steps x tokens per step).</summary>
    public double? TotalTokens { get; init; }

    /// <summary>The optimizer's name as the source gives it (e.g. adamw), when known.</summary>
    public string? Optimizer { get; init; }

    /// <summary>The schedule in the compact text form, when known.</summary>
    public string? Schedule { get; init; }

    /// <summary>
    /// Whether the reader knows the run trained all its steps (its <see cref="Schedule"/>'s length is the run's, not only a plan's): e.g.
    /// MPL's <c>wsdcon_X</c> files, 16,000-step runs whose logs stop at step 14,144 or 15,936. False: the schedule may be only a stated
    /// one (a <c># schedule:</c> comment), so a log that ends short of it may be a run in progress.
    /// </summary>
    public bool LengthKnown { get; init; }

    /// <summary>Where the run was read from (file path), for error messages and reports.</summary>
    public string? Source { get; init; }

    /// <summary>Free-form labels (dataset, family, size label, group keys).</summary>
    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();
}
