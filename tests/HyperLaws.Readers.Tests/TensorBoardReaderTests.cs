using System.Buffers.Binary;
using System.Text;
using HyperLaws.Readers.Internal;
using HyperLaws.Runs;
using Xunit;

namespace HyperLaws.Readers.Tests;

/// <summary>A tiny writer of TensorBoard event files (TFRecord framing, Event protos built by hand).</summary>
internal static class EventWriter
{
    public static byte[] Record(byte[] data)
    {
        var rec = new byte[12 + data.Length + 4];
        BinaryPrimitives.WriteUInt64LittleEndian(rec, (ulong)data.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(rec.AsSpan(8), Crc32C.Masked(rec.AsSpan(0, 8)));
        data.CopyTo(rec, 12);
        BinaryPrimitives.WriteUInt32LittleEndian(rec.AsSpan(12 + data.Length), Crc32C.Masked(data));
        return rec;
    }

    private static void Varint(List<byte> b, ulong v)
    {
        while (v >= 0x80) { b.Add((byte)(v | 0x80)); v >>= 7; }
        b.Add((byte)v);
    }

    private static void Key(List<byte> b, int field, int wire) => Varint(b, (ulong)(field << 3 | wire));

    private static void Bytes(List<byte> b, int field, byte[] data)
    {
        Key(b, field, 2);
        Varint(b, (ulong)data.Length);
        b.AddRange(data);
    }

    /// <summary>An Event with wall_time, step and scalars: simple_value, or a TF2 float tensor when asTensor.</summary>
    public static byte[] Event(long step, params (string Tag, float Value, bool AsTensor)[] values)
    {
        var ev = new List<byte>();
        Key(ev, 1, 1);
        ev.AddRange(BitConverter.GetBytes(1.7e9 + step));
        Key(ev, 2, 0);
        Varint(ev, (ulong)step);
        var summary = new List<byte>();
        foreach (var (tag, v, asTensor) in values)
        {
            var val = new List<byte>();
            Bytes(val, 1, Encoding.UTF8.GetBytes(tag));
            if (asTensor)
            {
                var t = new List<byte>();
                Key(t, 1, 0);
                Varint(t, 1); // DT_FLOAT
                Bytes(t, 2, []); // scalar shape
                Bytes(t, 4, BitConverter.GetBytes(v));
                Bytes(val, 8, t.ToArray());
            }
            else
            {
                Key(val, 2, 5);
                val.AddRange(BitConverter.GetBytes(v));
            }
            Bytes(summary, 1, val.ToArray());
        }
        Bytes(ev, 5, summary.ToArray());
        return ev.ToArray();
    }

    public static byte[] FileVersion()
    {
        var ev = new List<byte>();
        Key(ev, 1, 1);
        ev.AddRange(BitConverter.GetBytes(1.7e9));
        Bytes(ev, 3, Encoding.UTF8.GetBytes("brain.Event:2"));
        return ev.ToArray();
    }

    public static byte[] File(IEnumerable<byte[]> events) => events.SelectMany(Record).ToArray();
}

public class TensorBoardReaderTests
{
    [Fact]
    public void Crc32CKnownVector() => Assert.Equal(0xE3069283u, Crc32C.Compute(Encoding.ASCII.GetBytes("123456789")));

    /// <summary>RFC 3720 (iSCSI) section B.4: the CRC-32C of 32 zero bytes is 0x8a9136aa.</summary>
    [Fact]
    public void Crc32CRfc3720Vector() => Assert.Equal(0x8a9136aau, Crc32C.Compute(new byte[32]));

    /// <summary>
    /// TensorFlow's mask delta is 0xa282ead8 (kMaskDelta). The masked CRC below was read from a real
    /// TFRecord written by TensorFlow (the record of <c>Event(file_version=b"CRC test, one two")</c>),
    /// published in tensorflow/tensorboard, tensorboard/data/server/masked_crc.rs (Apache License 2.0).
    /// A fixture built with the reader's own mask cannot catch a wrong constant; this value can.
    /// </summary>
    [Fact]
    public void MaskedCrcMatchesARealTensorFlowRecord()
    {
        byte[] data = [0x1a, 0x11, .. Encoding.ASCII.GetBytes("CRC test, one two")];
        Assert.Equal(0xa282ead8u, Crc32C.MaskDelta);
        Assert.Equal(0x5794d08au, Crc32C.Masked(data));
    }

    /// <summary>
    /// The record above as TensorFlow frames it, with its published data CRC (not computed here):
    /// the reader must accept it (a file_version event holds no scalars) instead of reporting a CRC mismatch.
    /// </summary>
    [Fact]
    public void ReadsARecordCarryingTensorFlowsPublishedCrc()
    {
        byte[] data = [0x1a, 0x11, .. Encoding.ASCII.GetBytes("CRC test, one two")];
        var rec = new byte[12 + data.Length + 4];
        BinaryPrimitives.WriteUInt64LittleEndian(rec, (ulong)data.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(rec.AsSpan(8), Crc32C.Masked(rec.AsSpan(0, 8)));
        data.CopyTo(rec, 12);
        BinaryPrimitives.WriteUInt32LittleEndian(rec.AsSpan(12 + data.Length), 0x5794d08au);
        using var tmp = new TempDir();
        Assert.Empty(TensorBoardReader.ReadScalars(tmp.File("real.tfevents", rec)));
    }

    private static byte[] Sample(Func<int, bool> logLr, string lossTag = "train/loss", string evalTag = "eval/loss")
    {
        var events = new List<byte[]> { EventWriter.FileVersion() };
        for (int s = 1; s <= 40; s++)
        {
            var vals = new List<(string, float, bool)> { (lossTag, 4f / s, s % 2 == 0) };
            if (logLr(s)) vals.Add(("lr", 0.5f, false));
            if (s % 10 == 0) vals.Add((evalTag, 4.2f / s, true));
            events.Add(EventWriter.Event(s, [.. vals]));
        }
        return EventWriter.File(events);
    }

    [Fact]
    public void RoundTrip()
    {
        using var tmp = new TempDir();
        Directory.CreateDirectory(Path.Combine(tmp.Path, "myrun"));
        string f = Path.Combine(tmp.Path, "myrun", "events.out.tfevents.1700000000.host");
        File.WriteAllBytes(f, Sample(_ => true));
        var run = RunReader.Read(f);
        Assert.Equal("myrun", run.Name);
        Assert.Equal(40, run.Steps);
        Assert.All(run.LearningRates, lr => Assert.Equal(0.5, lr));
        Assert.Equal(40, run.Split(LossSplit.Train).Count());
        Assert.Equal(4, run.Split(LossSplit.Validation).Count());
        Assert.Equal(4f / 7, run.Split(LossSplit.Train).ElementAt(6).Loss);
        Assert.Equal(4.2f / 40, run.Final(LossSplit.Validation)!.Value.Loss);
        Assert.Equal(41, TensorBoardReader.ReadScalars(f).Count(s => s.Tag == "lr") + 1);
    }

    [Fact]
    public void SparseLrsNeedAScheduleAndAreCheckedAgainstIt()
    {
        using var tmp = new TempDir();
        string f = tmp.File("events.out.tfevents.1", Sample(s => s % 10 == 0));
        var e = Assert.Throws<RunFormatException>(() => RunReader.Read(f));
        Assert.Contains("give a schedule", e.Message);
        var run = RunReader.Read(f, new RunReadOptions { Schedule = "constant(peak=0.5,warmup=0,steps=40)" });
        Assert.Equal(40, run.Steps);
        var bad = Assert.Throws<RunFormatException>(() => RunReader.Read(f, new RunReadOptions { Schedule = "constant(peak=0.4,warmup=0,steps=40)" }));
        Assert.Contains("disagrees with the schedule", bad.Message);
        Assert.StartsWith(f + ":record ", bad.Message);
    }

    [Fact]
    public void UnknownTagsAreListed()
    {
        using var tmp = new TempDir();
        string f = tmp.File("events.out.tfevents.2", Sample(_ => true, lossTag: "my/weird_loss", evalTag: "my/eval"));
        var e = Assert.Throws<RunFormatException>(() => RunReader.Read(f));
        Assert.Contains("no loss tag found", e.Message);
        Assert.Contains("the file has scalar tags: lr, my/eval, my/weird_loss.", e.Message);
        var map = TensorBoardTagMap.Default with { TrainLoss = ["my/weird_loss"] };
        Assert.Equal(40, RunReader.Read(f, new RunReadOptions { TensorBoardTags = map }).Split(LossSplit.Train).Count());
    }

    [Fact]
    public void CorruptCrcNamesTheRecord()
    {
        using var tmp = new TempDir();
        var bytes = Sample(_ => true);
        // Flip one byte inside the data of the third record (index 2).
        int pos = 0;
        for (int r = 0; r < 2; r++) pos += 12 + (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(pos)) + 4;
        bytes[pos + 14] ^= 0x40;
        string f = tmp.File("events.out.tfevents.3", bytes);
        var e = Assert.Throws<RunFormatException>(() => RunReader.Read(f));
        Assert.StartsWith($"{f}:record 2: data CRC mismatch", e.Message);
        bytes[pos + 14] ^= 0x40;
        bytes[pos + 3] ^= 0x01; // the length field
        File.WriteAllBytes(f, bytes);
        e = Assert.Throws<RunFormatException>(() => RunReader.Read(f));
        Assert.StartsWith($"{f}:record 2: length CRC mismatch", e.Message);
    }

    [Fact]
    public void TruncatedFileNamesTheRecord()
    {
        using var tmp = new TempDir();
        var bytes = Sample(_ => true);
        string f = tmp.File("events.out.tfevents.4", bytes[..^7]);
        var e = Assert.Throws<RunFormatException>(() => RunReader.Read(f));
        Assert.StartsWith($"{f}:record 40: truncated record", e.Message);
        f = tmp.File("events.out.tfevents.5", bytes[..5]);
        e = Assert.Throws<RunFormatException>(() => RunReader.Read(f));
        Assert.StartsWith($"{f}:record 0: truncated record header", e.Message);
        f = tmp.File("events.out.tfevents.6", []);
        e = Assert.Throws<RunFormatException>(() => RunReader.Read(f));
        Assert.Contains("empty", e.Message);
    }

    [Fact]
    public void ConflictingDuplicateStepsAreAnError()
    {
        using var tmp = new TempDir();
        var bytes = EventWriter.File([EventWriter.Event(1, ("loss", 3f, false), ("lr", 0.1f, false)), EventWriter.Event(1, ("loss", 2f, false))]);
        string f = tmp.File("events.out.tfevents.7", bytes);
        var e = Assert.Throws<RunFormatException>(() => RunReader.Read(f));
        Assert.StartsWith($"{f}:record 1:", e.Message);
        Assert.Contains("duplicated step", e.Message);
    }

    [Fact]
    public void NaNLossAfterAFiniteStartIsDivergence()
    {
        using var tmp = new TempDir();
        var bytes = EventWriter.File([
            EventWriter.Event(1, ("loss", 3f, false), ("lr", 0.1f, false)),
            EventWriter.Event(2, ("loss", float.NaN, false), ("lr", 0.1f, false)),
        ]);
        var run = RunReader.Read(tmp.File("events.out.tfevents.8", bytes));
        Assert.True(run.Diverged);
        Assert.Equal("2", run.Metadata.Tags["divergedAt"]);
        Assert.Single(run.Observations);
    }
}
