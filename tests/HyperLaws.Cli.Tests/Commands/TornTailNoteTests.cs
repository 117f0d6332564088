using System.Text;

namespace HyperLaws.Cli.Tests.Commands;

using Xunit;

/// <summary>
/// A W&amp;B run file with a torn tail (a run still being written when it was copied: its last record cut short, no exit record) given to
/// plan and rank: each says it as import, fit and compare do, one line naming the file and the offset
/// (plan on stderr unless --json or --quiet; rank in its warnings, on stderr and in --json's warnings[]). The file is written here, framed
/// as W&amp;B's writer frames it (docs/RUN-FORMATS.md): a run record and 40 history rows of <c>_step</c>, <c>loss</c> and <c>lr</c>, then
/// a 41st row cut 3 bytes short.
/// </summary>
public sealed class TornTailNoteTests
{
    private const string TissueLaw = """{"format":"hyperlaws-law","version":1,"law":"tissue","parameters":{"L0":3.15,"A":0.51,"alpha":0.51,"C":0.40}}""";

    [Fact]
    public void Plan_says_the_torn_tail_on_stderr_but_not_with_json()
    {
        using var tmp = new TempDir();
        var (file, tornAt) = TornRun(tmp);
        // A warmup longer than the plan is refused before any fit: what the runs' reading printed is all there is on stderr.
        var r = Cli.Run("plan", "--runs", file, "--params", "10M", "--tokens", "1B", "--warmup", "5000000", "--no-lr-prior", "--no-divergence", "--out", tmp.Combine("plan"));
        Assert.Equal(2, r.ExitCode);
        var lines = r.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(1, lines.Count(l => l.StartsWith($"note: {file}: read up to its torn tail (", StringComparison.Ordinal)));
        Assert.Contains(lines, l => l.Contains($"at offset {tornAt}", StringComparison.Ordinal) && l.StartsWith("note: ", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("hyperlaws: error: --warmup: ", StringComparison.Ordinal));
        var quiet = Cli.Run("plan", "--runs", file, "--params", "10M", "--tokens", "1B", "--warmup", "5000000", "--no-lr-prior", "--no-divergence", "--out", tmp.Combine("plan"), "--json");
        Assert.DoesNotContain("torn tail", quiet.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Rank_with_a_law_warns_of_the_torn_tail_on_stderr_and_in_its_json()
    {
        using var tmp = new TempDir();
        var (file, tornAt) = TornRun(tmp);
        string law = tmp.File("law.json", TissueLaw);
        string[] args = ["rank", "--law", law, "--runs", file, "--steps", "1000", "--families", "constant", "--peaks", "1e-3", "--warmups", "0"];
        var r = Cli.Run(args);
        Assert.Equal(0, r.ExitCode);
        Assert.Contains($"warning: {file}: read up to its torn tail (", r.Stderr, StringComparison.Ordinal);
        var warnings = Cli.Run([.. args, "--json"]).Json()["warnings"]!.AsArray().Select(w => w!.GetValue<string>()).ToList();
        Assert.Contains(warnings, w => w.StartsWith($"{file}: read up to its torn tail (", StringComparison.Ordinal) && w.Contains($"at offset {tornAt}", StringComparison.Ordinal));
    }

    /// <summary>Writes the torn run file (see the class summary); the offset of its torn record's chunk.</summary>
    private static (string File, long TornAt) TornRun(TempDir tmp)
    {
        var o = new MemoryStream();
        o.Write([.. ":W&B"u8, 0xE1, 0xBE, 0]);
        Chunk(o, Pb(17, Pb(1, Utf8("torn1")), Pb(8, Utf8("torn-run"))));
        for (int step = 1; step <= 40; step++)
            Chunk(o, Row(step));
        long tornAt = o.Position;
        Chunk(o, Row(41));
        byte[] bytes = o.ToArray();
        return (tmp.File("run-torn1.wandb", bytes[..^3]), tornAt);
    }

    /// <summary>A Record with a history row (field 2) of items (1: key 1, value_json 16) _step, loss and lr.</summary>
    private static byte[] Row(int step) => Pb(2,
        Pb(1, Pb(1, Utf8("_step")), Pb(16, Utf8($"{step}"))),
        Pb(1, Pb(1, Utf8("loss")), Pb(16, Utf8(FormattableString.Invariant($"{4.0 - 0.01 * step}")))),
        Pb(1, Pb(1, Utf8("lr")), Pb(16, Utf8("0.001"))));

    /// <summary>One FULL chunk (the records here are short and stay in block 0): CRC-32 (zlib) of the type byte and the data, length, type.</summary>
    private static void Chunk(Stream o, byte[] data)
    {
        uint crc = Crc32([1, .. data]);
        o.Write(BitConverter.GetBytes(crc));
        o.Write(BitConverter.GetBytes((ushort)data.Length));
        o.WriteByte(1);
        o.Write(data);
    }

    /// <summary>CRC-32 of IEEE 802.3 / zlib, bit by bit (reflected polynomial 0xEDB88320).</summary>
    private static uint Crc32(byte[] data)
    {
        uint c = 0xFFFFFFFF;
        foreach (byte b in data)
        {
            c ^= b;
            for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        }
        return ~c;
    }

    private static byte[] Pb(int field, params byte[][] parts)
    {
        byte[] body = [.. parts.SelectMany(p => p)];
        return [.. Varint((ulong)(field << 3 | 2)), .. Varint((ulong)body.Length), .. body];
    }

    private static byte[] Varint(ulong v)
    {
        var o = new List<byte>();
        for (; v >= 0x80; v >>= 7) o.Add((byte)(v | 0x80));
        o.Add((byte)v);
        return [.. o];
    }

    private static byte[] Utf8(string s) => Encoding.UTF8.GetBytes(s);
}
