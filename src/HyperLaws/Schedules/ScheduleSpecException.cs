namespace HyperLaws.Schedules;

/// <summary>
/// An invalid schedule spec (text or JSON form) or invalid schedule fields. The message names the
/// family and the field and says why, e.g. <c>wsd: field 'cooldown' must be in (0, 1] (got 1.5)</c>.
/// </summary>
public sealed class ScheduleSpecException : FormatException
{
    /// <summary>An invalid spec; <paramref name="message"/> names the family and the field.</summary>
    public ScheduleSpecException(string message) : base(message) { }

    /// <summary>An invalid spec, with the error that made it invalid.</summary>
    public ScheduleSpecException(string message, Exception inner) : base(message, inner) { }
}
