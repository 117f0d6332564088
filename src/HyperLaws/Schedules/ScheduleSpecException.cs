namespace HyperLaws.Schedules;

/// <summary>
/// An invalid schedule spec (text or JSON form) or invalid schedule fields. The message names the
/// family and the field and says why, e.g. <c>wsd: field 'cooldown' must be in (0, 1] (got 1.5)</c>.
/// </summary>
public sealed class ScheduleSpecException : FormatException
{
    public ScheduleSpecException(string message) : base(message) { }

    public ScheduleSpecException(string message, Exception inner) : base(message, inner) { }
}
