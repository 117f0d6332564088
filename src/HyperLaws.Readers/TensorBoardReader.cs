using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using HyperLaws.Readers.Internal;
using HyperLaws.Runs;

namespace HyperLaws.Readers;

/// <summary>
/// TensorBoard event files (<c>events.out.tfevents.*</c>): TFRecord framing with both CRC-32C checked,
/// <c>Event</c> protos parsed by hand (step, <c>summary.value</c> with <c>simple_value</c> or a scalar
/// <c>tensor</c>). The event step is taken as the number of updates done: a loss at step s is after s
/// updates and an LR at step s is eta_s. Losses and the LR are picked by
/// <see cref="RunReadOptions.TensorBoardTags"/>; LRs logged at only some steps need a schedule spec
/// (<see cref="RunReadOptions.Schedule"/>) and are checked against it. Step-0 values (before any
/// update) are kept out of the curve (the train loss goes to the tag <c>initialLoss</c>).
/// </summary>
public static class TensorBoardReader
{
    /// <summary>True when the file name contains <c>tfevents</c> (TensorBoard names its files <c>events.out.tfevents.*</c>).</summary>
    public static bool Recognizes(string path) => Path.GetFileName(path).Contains("tfevents", StringComparison.Ordinal);

    /// <summary>Every scalar of the file, in file order. Errors name the file and the record index.</summary>
    public static IReadOnlyList<TensorBoardScalar> ReadScalars(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new RunFormatException(path, "record 0", $"cannot read the file: {e.Message}", e);
        }
        if (bytes.Length == 0) throw new RunFormatException(path, "record 0", "the file is empty.");
        var result = new List<TensorBoardScalar>();
        int pos = 0, record = 0;
        while (pos < bytes.Length)
        {
            string where = $"record {record}";
            if (bytes.Length - pos < 12)
                throw new RunFormatException(path, where, $"truncated record header ({bytes.Length - pos} bytes left at offset {pos}, 12 needed).");
            var lenBytes = bytes.AsSpan(pos, 8);
            ulong len = BinaryPrimitives.ReadUInt64LittleEndian(lenBytes);
            uint lenCrc = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(pos + 8, 4));
            if (Crc32C.Masked(lenBytes) != lenCrc)
                throw new RunFormatException(path, where, $"length CRC mismatch at offset {pos} (corrupt file).");
            if (len > (ulong)(bytes.Length - pos - 12) || (ulong)(bytes.Length - pos - 12) - len < 4)
                throw new RunFormatException(path, where, $"truncated record: {len} data bytes + 4 CRC bytes announced, {bytes.Length - pos - 12} left.");
            var data = bytes.AsSpan(pos + 12, (int)len);
            uint dataCrc = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(pos + 12 + (int)len, 4));
            if (Crc32C.Masked(data) != dataCrc)
                throw new RunFormatException(path, where, $"data CRC mismatch (corrupt record of {len} bytes at offset {pos}).");
            try
            {
                ParseEvent(data, record, result);
            }
            catch (FormatException e)
            {
                throw new RunFormatException(path, where, $"malformed Event proto: {e.Message}", e);
            }
            pos += 12 + (int)len + 4;
            record++;
        }
        return result;
    }

    private static void ParseEvent(ReadOnlySpan<byte> data, int record, List<TensorBoardScalar> sink)
    {
        var r = new ProtoReader(data);
        double wall = 0;
        long step = 0;
        var pending = new List<(string Tag, double Value)>();
        while (r.Next(out int field, out int wt))
        {
            if (field == 1 && wt == 1) wall = r.ReadDouble();
            else if (field == 2 && wt == 0) step = (long)r.ReadVarint();
            else if (field == 5 && wt == 2) ParseSummary(r.ReadBytes(), pending);
            else r.Skip(wt);
        }
        foreach (var (tag, v) in pending) sink.Add(new TensorBoardScalar(tag, step, v, wall, record));
    }

    private static void ParseSummary(ReadOnlySpan<byte> data, List<(string, double)> sink)
    {
        var r = new ProtoReader(data);
        while (r.Next(out int field, out int wt))
        {
            if (field == 1 && wt == 2)
            {
                var v = new ProtoReader(r.ReadBytes());
                string? tag = null;
                double? value = null;
                while (v.Next(out int f, out int w))
                {
                    if (f == 1 && w == 2) tag = Encoding.UTF8.GetString(v.ReadBytes());
                    else if (f == 2 && w == 5) value = v.ReadFloat();
                    else if (f == 8 && w == 2) value = ParseScalarTensor(v.ReadBytes()) ?? value;
                    else v.Skip(w);
                }
                if (tag is not null && value is { } x) sink.Add((tag, x));
            }
            else r.Skip(wt);
        }
    }

    /// <summary>The value of a one-element float/double tensor, or null for anything else.</summary>
    private static double? ParseScalarTensor(ReadOnlySpan<byte> data)
    {
        var r = new ProtoReader(data);
        int dtype = 0;
        double? value = null;
        ReadOnlySpan<byte> content = default;
        while (r.Next(out int f, out int w))
        {
            if (f == 1 && w == 0) dtype = (int)r.ReadVarint();
            else if (f == 4 && w == 2) content = r.ReadBytes();
            else if (f == 5 && w == 2) { var p = r.ReadBytes(); if (p.Length >= 4) value = BitConverter.Int32BitsToSingle(BinaryPrimitives.ReadInt32LittleEndian(p)); }
            else if (f == 5 && w == 5) value = r.ReadFloat();
            else if (f == 6 && w == 2) { var p = r.ReadBytes(); if (p.Length >= 8) value = BitConverter.Int64BitsToDouble(BinaryPrimitives.ReadInt64LittleEndian(p)); }
            else if (f == 6 && w == 1) value = r.ReadDouble();
            else r.Skip(w);
        }
        if (value is null && content.Length > 0)
        {
            if (dtype == 1 && content.Length == 4) value = BitConverter.Int32BitsToSingle(BinaryPrimitives.ReadInt32LittleEndian(content));
            else if (dtype == 2 && content.Length == 8) value = BitConverter.Int64BitsToDouble(BinaryPrimitives.ReadInt64LittleEndian(content));
        }
        return value;
    }

    /// <summary>Reads an event file into a run (see the class summary for the conventions).</summary>
    public static TrainingRun Read(string path, RunReadOptions? options = null)
    {
        options ??= RunReadOptions.Default;
        var scalars = ReadScalars(path);
        var tags = scalars.Select(s => s.Tag).Distinct().Order(StringComparer.Ordinal).ToList();
        string? Pick(IReadOnlyList<string> candidates) => candidates.FirstOrDefault(c => tags.Contains(c));
        string? trainTag = Pick(options.TensorBoardTags.TrainLoss);
        string? valTag = Pick(options.TensorBoardTags.ValidationLoss);
        string? lrTag = Pick(options.TensorBoardTags.LearningRate);
        if (trainTag is null && valTag is null)
            throw new RunFormatException(path, "record 0",
                $"no loss tag found: looked for {string.Join(", ", options.TensorBoardTags.TrainLoss.Concat(options.TensorBoardTags.ValidationLoss))}; the file has scalar tags: {(tags.Count == 0 ? "(none)" : string.Join(", ", tags))}. Map them with RunReadOptions.TensorBoardTags.");

        var metaItems = new List<(string, string, string)>();
        var rows = new List<GenericRunReader.Row>();
        var extraTags = new List<(string, string, string)>();
        Dictionary<long, (double Value, int Record)> Series(string tag)
        {
            var d = new Dictionary<long, (double, int)>();
            foreach (var s in scalars.Where(s => s.Tag == tag))
            {
                if (d.TryGetValue(s.Step, out var prev) && !prev.Item1.Equals(s.Value))
                    throw new RunFormatException(path, $"record {s.Record}", $"'{tag}' at step {s.Step} is {RunAssembly.Fmt(s.Value)} here and {RunAssembly.Fmt(prev.Item1)} in record {prev.Item2} (duplicated step).");
                d[s.Step] = (s.Value, s.Record);
            }
            return d;
        }
        var lr = lrTag is null ? new Dictionary<long, (double Value, int Record)>() : Series(lrTag);
        void AddLoss(string? tag, LossSplit split)
        {
            if (tag is null) return;
            foreach (var (step, (v, rec)) in Series(tag))
            {
                if (step == 0)
                {
                    if (split == LossSplit.Train) extraTags.Add(("initialLoss", RunAssembly.Fmt(v), $"record {rec}"));
                    continue;
                }
                int s = RunAssembly.CheckStep(path, $"record {rec}", step, options.MaxStep);
                rows.Add(new GenericRunReader.Row(s, v, null, split, $"record {rec}"));
            }
        }
        AddLoss(trainTag, LossSplit.Train);
        AddLoss(valTag, LossSplit.Validation);
        foreach (var (step, (v, rec)) in lr)
        {
            if (step == 0) continue;
            int s = RunAssembly.CheckStep(path, $"record {rec}", step, options.MaxStep);
            rows.Add(new GenericRunReader.Row(s, null, v, LossSplit.Train, $"record {rec}"));
        }
        rows.Sort((a, b) => a.Step != b.Step ? a.Step.CompareTo(b.Step) : (a.Loss is null).CompareTo(b.Loss is null));
        string name = Path.GetFileName(Path.GetDirectoryName(Path.GetFullPath(path))) is { Length: > 0 } dir ? dir : Path.GetFileName(path);
        metaItems.Add(("name", name, "record 0"));
        metaItems.Add(("trainLossTag", trainTag ?? "", "record 0"));
        metaItems.Add(("validationLossTag", valTag ?? "", "record 0"));
        metaItems.Add(("lrTag", lrTag ?? "", "record 0"));
        metaItems.AddRange(extraTags);
        return GenericRunReader.Assemble(path, metaItems, rows, options, "record");
    }

    internal static string Num(double x) => x.ToString("R", CultureInfo.InvariantCulture);
}
