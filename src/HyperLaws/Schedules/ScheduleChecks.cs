using System.Globalization;

namespace HyperLaws.Schedules;

/// <summary>Field validation with messages of the form <c>family: field 'name' must be ... (got value)</c>.</summary>
internal static class ScheduleChecks
{
    public static string Show(double x) => x.ToString("R", CultureInfo.InvariantCulture);

    public static ArgumentException Fail(string family, string field, string why, string got) =>
        new($"{family}: field '{field}' {why} (got {got})", field);

    /// <summary>
    /// Largest peak LR accepted. No optimiser runs at an LR near 1e6; the bound keeps every product of LRs a
    /// law forms (sums over steps, powers) finite, where peak=1e308 made the first LR infinite.
    /// </summary>
    public const double MaxPeak = 1e6;

    public static double Peak(string family, double peak)
    {
        if (!double.IsFinite(peak) || peak <= 0) throw Fail(family, "peak", "must be a finite number > 0", Show(peak));
        if (peak > MaxPeak) throw Fail(family, "peak", $"must be at most {Show(MaxPeak)}", Show(peak));
        return peak;
    }

    public static int Steps(string family, int steps, string field = "steps")
    {
        if (steps < 1 || steps > LrSchedule.MaxSteps) throw Fail(family, field, $"must be an integer in [1, {LrSchedule.MaxSteps}]", steps.ToString(CultureInfo.InvariantCulture));
        return steps;
    }

    public static double InRange(string family, string field, double x, double lo, double hi, string range)
    {
        if (!double.IsFinite(x) || x < lo || x > hi) throw Fail(family, field, $"must be in {range}", Show(x));
        return x;
    }

    public static int IntInRange(string family, string field, int x, int lo, int hi, string range)
    {
        if (x < lo || x > hi) throw Fail(family, field, $"must be in {range}", x.ToString(CultureInfo.InvariantCulture));
        return x;
    }

    public static string Name(WarmupShape s) => s == WarmupShape.Linear ? "linear" : "cosine";

    public static string Name(CooldownShape s) => s switch
    {
        CooldownShape.Linear => "linear",
        CooldownShape.Sqrt => "sqrt",
        CooldownShape.Cosine => "cosine",
        _ => "exp",
    };

    public static string Name(RewarmFrom r) => r == RewarmFrom.Zero ? "zero" : "current";
}
