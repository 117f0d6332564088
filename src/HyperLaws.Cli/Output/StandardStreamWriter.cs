using System.Text;

namespace HyperLaws.Cli.Output;

/// <summary>
/// The process's stdout or stderr as the commands write it, with a failed write (the stream closed: <c>hyperlaws ... &gt;&amp;-</c>,
/// .NET reporting EBADF as <see cref="UnauthorizedAccessException"/>; or full: <c>&gt; /dev/full</c>, an <see cref="IOException"/>)
/// turned into what the command line can answer. On stdout it is the user's error, one line on stderr naming the failure and exit 2
/// (was: "internal error (UnauthorizedAccessException): Access to the path is denied.", exit 70). Only a failed write is detected:
/// with stdin closed too (<c>&lt;&amp;- &gt;&amp;-</c>) the runtime's own pipe2 reuses fd 1, the writes succeed and the exit is 0.
/// On stderr there is nowhere left to say anything, so the write is dropped and the exit code stands
/// (was: an unhandled exception while reporting an error, the process aborted, exit 134). A closed pipe (<c>| head -c 10</c>)
/// is no failure here: .NET's console stream ignores EPIPE. Only a redirected stream is wrapped (a closed descriptor counts as
/// redirected): a terminal's writer stays <see cref="Console.Out"/> itself, which <see cref="CliIo.Interactive"/> and Spectre's
/// terminal detection compare by reference.
/// </summary>
public sealed class StandardStreamWriter(TextWriter inner, bool isError) : TextWriter
{
    public override Encoding Encoding => inner.Encoding;

    public override void Write(char value) => Guard(() => inner.Write(value));

    public override void Write(char[] buffer, int index, int count) => Guard(() => inner.Write(buffer, index, count));

    public override void Write(string? value) => Guard(() => inner.Write(value));

    public override void WriteLine(string? value) => Guard(() => inner.WriteLine(value));

    // Forwarded in one call (TextWriter's would write the text and the newline apart).
    public override void WriteLine(char[] buffer, int index, int count) => Guard(() => inner.WriteLine(buffer, index, count));

    public override void WriteLine(ReadOnlySpan<char> buffer)
    {
        try
        {
            inner.WriteLine(buffer);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Fail(e);
        }
    }

    public override void Flush() => Guard(inner.Flush);

    private void Guard(Action write)
    {
        try
        {
            write();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Fail(e);
        }
    }

    private void Fail(Exception e)
    {
        if (isError) return;
        string why = e.Message.ReplaceLineEndings(" ").Trim().TrimEnd('.');
        throw new UserInputException($"standard output: cannot write to it ({(e is UnauthorizedAccessException ? "is it closed? " : "")}{why}).");
    }
}
