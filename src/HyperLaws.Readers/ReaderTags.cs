namespace HyperLaws.Readers;

/// <summary>
/// Names of the run tags (<see cref="HyperLaws.Runs.RunMetadata.Tags"/>) that a reader sets and the commands read back, so that the
/// reader that writes one and the commands that report it spell it once.
/// </summary>
public static class ReaderTags
{
    /// <summary>
    /// The torn last record of a W&amp;B run file still being written (or cut when it was copied), skipped by
    /// <see cref="WandbRunFileReader"/>: what was torn and at which offset. The commands that read runs say it in a <c>note:</c> on
    /// stderr; <c>import</c> also in its JSON field and its run file's header line <c># torn_tail:</c>.
    /// </summary>
    public const string TornTail = HyperLaws.Runs.RunNote.TornTailTag;

    /// <summary>The offset of <see cref="TornTail"/>'s torn record in bytes, as a number, for the run's notes (<see cref="HyperLaws.Runs.RunNote"/>).</summary>
    public const string TornTailOffset = HyperLaws.Runs.RunNote.TornTailOffsetTag;

    /// <summary>
    /// How the LRs not logged were filled in ("interpolated linearly between ... logged LRs", "rebuilt from the Trainer's params ...", the
    /// schedule spec rebuilt from the settings): set only by the readers that fill LRs in, read back as the run note
    /// <see cref="HyperLaws.Runs.RunNoteKind.LrFilledIn"/> and by <c>import</c> (JSON field <c>lr</c>, header line <c># lr_source:</c>).
    /// Not the W&amp;B reader's <c>lr</c> tag, which is the config's peak LR.
    /// </summary>
    public const string LrFilledIn = HyperLaws.Runs.RunNote.LrFilledInTag;
}
