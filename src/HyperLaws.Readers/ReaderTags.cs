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
}
