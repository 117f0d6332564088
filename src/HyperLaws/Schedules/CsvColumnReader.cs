using System.Globalization;

namespace HyperLaws.Schedules;

/// <summary>
/// Reads one numeric column of a CSV file: the first non-empty line is the header, the column is chosen
/// by name (exact, then case-insensitive; optional when the file has one column), numbers in invariant
/// culture, blank lines skipped. Errors are <see cref="InvalidDataException"/>s naming the file and line.
/// No quoting: fields are split on commas.
/// </summary>
public static class CsvColumnReader
{
    /// <summary>Reads the column <paramref name="column"/> (null: the only one) of the CSV file at <paramref name="path"/>.</summary>
    /// <exception cref="InvalidDataException">An empty file, no such column, or a value that is not a number; the message names the file and line.</exception>
    public static double[] Read(string path, string? column)
    {
        ArgumentNullException.ThrowIfNull(path);
        return Read(File.ReadAllLines(path), column, path);
    }

    /// <summary>Parses CSV lines; <paramref name="name"/> names the source in errors.</summary>
    public static double[] Read(IReadOnlyList<string> lines, string? column, string name)
    {
        int line = 0;
        while (line < lines.Count && string.IsNullOrWhiteSpace(lines[line])) line++;
        if (line == lines.Count) throw new InvalidDataException($"{name}: empty file (no header row)");
        string[] header = lines[line].Split(',', StringSplitOptions.TrimEntries);
        int index;
        if (column is null)
        {
            if (header.Length != 1) throw new InvalidDataException($"{name}: line {line + 1}: the file has {header.Length} columns ({string.Join(", ", header)}); name one with 'column'");
            index = 0;
        }
        else
        {
            index = Array.IndexOf(header, column);
            if (index < 0) index = Array.FindIndex(header, h => string.Equals(h, column, StringComparison.OrdinalIgnoreCase));
            if (index < 0) throw new InvalidDataException($"{name}: line {line + 1}: no column '{column}' (columns: {string.Join(", ", header)})");
        }
        var values = new List<double>();
        for (line++; line < lines.Count; line++)
        {
            if (string.IsNullOrWhiteSpace(lines[line])) continue;
            string[] cells = lines[line].Split(',', StringSplitOptions.TrimEntries);
            if (index >= cells.Length) throw new InvalidDataException($"{name}: line {line + 1}: {cells.Length} fields, column '{header[index]}' is field {index + 1}");
            if (!double.TryParse(cells[index], NumberStyles.Float, CultureInfo.InvariantCulture, out double x))
                throw new InvalidDataException($"{name}: line {line + 1}: column '{header[index]}' is not a number: '{cells[index]}'");
            values.Add(x);
        }
        if (values.Count == 0) throw new InvalidDataException($"{name}: no data rows after the header");
        return [.. values];
    }
}
