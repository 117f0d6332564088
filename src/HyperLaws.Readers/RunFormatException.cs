namespace HyperLaws.Readers;

/// <summary>
/// A run log that cannot be read. The message always starts with <c>&lt;file&gt;:&lt;where&gt;: </c>, where
/// <c>where</c> is a 1-based line number (text formats), <c>record N</c> (TensorBoard, 0-based record
/// index) or a JSON path, so that the user can find the offending input.
/// </summary>
public sealed class RunFormatException : FormatException
{
    /// <summary>An error at a location given as text (<c>record N</c>, a JSON path, or a line number).</summary>
    /// <param name="file">The file, as the user gave it.</param>
    /// <param name="location">Where in the file: a 1-based line number, <c>record N</c>, or a JSON path.</param>
    /// <param name="problem">What is wrong, as a sentence.</param>
    /// <param name="inner">The exception that revealed the problem, if any.</param>
    public RunFormatException(string file, string location, string problem, Exception? inner = null)
        : base($"{file}:{location}: {problem}", inner)
    {
        File = file;
        Location = location;
        Problem = problem;
    }

    /// <summary>An error at a 1-based line of a text file (0: the file as a whole).</summary>
    /// <param name="file">The file, as the user gave it.</param>
    /// <param name="line">The 1-based line number; 0 when the problem is not on one line.</param>
    /// <param name="problem">What is wrong, as a sentence.</param>
    /// <param name="inner">The exception that revealed the problem, if any.</param>
    public RunFormatException(string file, int line, string problem, Exception? inner = null)
        : this(file, line.ToString(System.Globalization.CultureInfo.InvariantCulture), problem, inner)
    {
    }

    /// <summary>The file (path as given).</summary>
    public string File { get; }

    /// <summary>Line number, <c>record N</c>, or a JSON path.</summary>
    public string Location { get; }

    /// <summary>What is wrong, without the location prefix.</summary>
    public string Problem { get; }
}
