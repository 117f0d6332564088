namespace HyperLaws.Readers.Internal;

/// <summary>
/// The checks on an llm-baselines-style W&amp;B config that <see cref="WandbReader"/> (exported JSON) and <see cref="WandbRunFileReader"/>
/// (the local <c>.wandb</c> file) share, so that the two readers accept and reject the same values: a count (batch size, accumulation
/// steps, world size, sequence length) is a whole number in range; N is <c>summary.parameters</c> (positive), else the non-embedding
/// estimate 12 <c>n_layer</c> <c>n_embd</c>^2 (Kaplan et al. 2020, eq. 2.1; both positive).
/// </summary>
internal static class LlmBaselinesConfig
{
    /// <summary>The source tag of a parameter count read from the run's summary.</summary>
    public const string SummarySource = "summary.parameters (all parameters, embeddings included)";

    /// <summary>The source tag of the 12 n_layer n_embd^2 estimate.</summary>
    public const string EstimateSource = "12 n_layer n_embd^2 (non-embedding estimate)";

    /// <summary><paramref name="x"/> as a whole number in <paramref name="min"/>..<paramref name="max"/>, else an error at <paramref name="where"/>.</summary>
    public static int Count(string path, string where, double x, long min, long max)
    {
        if (!double.IsFinite(x) || x != Math.Floor(x) || x < min || x > max || x > int.MaxValue)
            throw new RunFormatException(path, where, $"must be a whole number in {min}..{max}, found {RunAssembly.Fmt(x)}.");
        return (int)x;
    }

    /// <summary>
    /// The parameter count and its source: <paramref name="summaryParameters"/> when given (it must be positive and finite), else
    /// 12 <paramref name="nLayer"/> <paramref name="nEmbd"/>^2 when both are given (both positive; Estimated true), else null.
    /// </summary>
    public static (double Value, string Source, bool Estimated)? Parameters(string path, double? summaryParameters, string summaryWhere,
        double? nLayer, double? nEmbd, string configWhere)
    {
        if (summaryParameters is { } p)
        {
            if (!(p > 0) || !double.IsFinite(p)) throw new RunFormatException(path, summaryWhere, $"parameter count {RunAssembly.Fmt(p)} must be positive.");
            return (p, SummarySource, false);
        }
        if (nLayer is { } nl && nEmbd is { } ne)
        {
            if (!(nl > 0) || !(ne > 0) || !double.IsFinite(nl) || !double.IsFinite(ne))
                throw new RunFormatException(path, configWhere, $"n_layer={RunAssembly.Fmt(nl)} and n_embd={RunAssembly.Fmt(ne)} must be positive.");
            return (12 * nl * ne * ne, EstimateSource, true);
        }
        return null;
    }
}
