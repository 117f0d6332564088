using System.Globalization;
using static HyperLaws.Schedules.ScheduleChecks;

namespace HyperLaws.Schedules;

/// <summary>
/// <c>table(values=[...])</c> or <c>table(file=path.npy|path.csv, column=name)</c>, with optional
/// <c>warmup=W</c>: a tabulated schedule. Without warmup eta_t = values[t - 1]; with it, a linear warmup
/// eta_t = v_1 t / W for t = 1..W (eta_W = v_1) comes first and the table follows (S = W + n). Values must be finite and &gt;= 0.
/// A table read from a file prints as its file (and column), so the spec stays short; the file is read again on parse.
/// </summary>
public sealed record TableSchedule : LrSchedule
{
    private readonly double[] _values;

    /// <summary>A table of per-step LRs, after an optional linear warmup of <paramref name="warmup"/> steps up to the first value.</summary>
    /// <exception cref="ArgumentException">No values, a value not finite, negative or above the largest peak, or a warmup out of range.</exception>
    public TableSchedule(IReadOnlyList<double> values, int warmup = 0) : this(values, warmup, null, null) { }

    private TableSchedule(IReadOnlyList<double> values, int warmup, string? file, string? column)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count == 0) throw Fail(ScheduleFamily.Table.Name, file is null ? "values" : "file", "must hold at least one value", file ?? "[]");
        for (int i = 0; i < values.Count; i++)
            if (!double.IsFinite(values[i]) || values[i] < 0)
                throw Fail(ScheduleFamily.Table.Name, file is null ? "values" : "file", $"must hold finite values >= 0 (entry {i + 1})", Show(values[i]));
            else if (values[i] > ScheduleChecks.MaxPeak)
                throw Fail(ScheduleFamily.Table.Name, file is null ? "values" : "file", $"must hold values at most {Show(ScheduleChecks.MaxPeak)} (entry {i + 1})", Show(values[i]));
        if (warmup < 0 || (long)warmup + values.Count > MaxSteps)
            throw Fail(ScheduleFamily.Table.Name, "warmup", $"must be >= 0 with warmup + length <= {MaxSteps}", warmup.ToString(CultureInfo.InvariantCulture));
        _values = [.. values];
        Warmup = warmup;
        File = file;
        Column = column;
    }

    /// <summary>Reads the table from a <c>.npy</c> file (1-D float64/float32) or a CSV file (<paramref name="column"/> by header name).</summary>
    public static TableSchedule FromFile(string file, string? column = null, int warmup = 0)
    {
        ArgumentNullException.ThrowIfNull(file);
        // One look at what the path names (links followed): a FIFO would block the read forever and a device such as /dev/zero never
        // ends, so refuse both before opening; reading a folder fails with "Access to the path ... is denied", so say what it is.
        switch (file.Length > 0 ? Platform.FileKind.Target(file) : Platform.PathKind.Missing)
        {
            case Platform.PathKind.Special: throw new IOException($"{file} is not a regular file (a device, FIFO or socket).");
            case Platform.PathKind.Directory: throw new IOException($"{file} is a folder, not a file.");
        }
        double[] values = file.EndsWith(".npy", StringComparison.OrdinalIgnoreCase)
            ? (column is null ? NpyReader.Read(file) : throw new ArgumentException($"table: field 'column' applies to CSV files only (file {file})", nameof(column)))
            : CsvColumnReader.Read(file, column);
        return new TableSchedule(values, warmup, file, column);
    }

    /// <summary>The tabulated LRs (after the warmup).</summary>
    public IReadOnlyList<double> Values => _values;

    /// <summary>W: steps of linear warmup to the first value before the table.</summary>
    public int Warmup { get; }

    /// <summary>The file the table was read from, or null.</summary>
    public string? File { get; }

    /// <summary>The CSV column, or null.</summary>
    public string? Column { get; }

    /// <inheritdoc/>
    public override int Steps => Warmup + _values.Length;

    /// <inheritdoc/>
    public override ScheduleFamily Family => ScheduleFamily.Table;

    internal override double AtCore(int step) => step < Warmup ? _values[0] * step / Warmup : step == Warmup ? _values[0] : _values[step - Warmup - 1];

    internal override void EvaluateCore(Span<double> destination)
    {
        for (int t = 1; t < Warmup; t++) destination[t - 1] = _values[0] * t / Warmup;
        if (Warmup > 0) destination[Warmup - 1] = _values[0];
        _values.CopyTo(destination[Warmup..]);
    }

    internal override SpecNode ToNode()
    {
        var fields = new List<KeyValuePair<string, SpecValue>>();
        if (File is null) fields.Add(new("values", new SpecValue.List([.. _values.Select(Show)])));
        else
        {
            fields.Add(new("file", SpecValue.Word(File)));
            if (Column is not null) fields.Add(new("column", SpecValue.Word(Column)));
        }
        if (Warmup != 0) fields.Add(new("warmup", SpecValue.Number(Warmup)));
        return new SpecNode(Family.Name, fields);
    }

    /// <summary>Equal when the warmup, the file, the column and every value are.</summary>
    public bool Equals(TableSchedule? other) =>
        other is not null && Warmup == other.Warmup && File == other.File && Column == other.Column && _values.AsSpan().SequenceEqual(other._values);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var h = new HashCode();
        h.Add(Warmup);
        h.Add(File);
        h.Add(Column);
        h.Add(_values.Length);
        foreach (double v in _values) h.Add(v);
        return h.ToHashCode();
    }
}
