namespace HyperLaws.Laws;

/// <summary>The argument checks every law's Predict shares.</summary>
internal static class LawArguments
{
    /// <summary>
    /// Throws when the parameter vector has the wrong length, a step lies outside 1..S, the steps are
    /// not ascending, or the output is too short.
    /// </summary>
    public static void Check(ILossLaw law, ReadOnlySpan<double> parameters, ScheduleHistory history, ReadOnlySpan<int> steps, Span<double> output)
    {
        if (parameters.Length != law.ParameterNames.Count)
            throw new ArgumentException($"{law.Name} takes {law.ParameterNames.Count} parameters ({string.Join(", ", law.ParameterNames)}), got {parameters.Length}.");
        if (output.Length < steps.Length) throw new ArgumentException("The output is shorter than the steps.");
        int previous = 0;
        foreach (int t in steps)
        {
            if (t < 1 || t > history.Steps) throw new ArgumentOutOfRangeException(nameof(steps), $"Step {t} is outside 1..{history.Steps}.");
            if (t < previous) throw new ArgumentException("Steps must be ascending.");
            previous = t;
        }
    }
}
