namespace HyperLaws.Readers.Tests;

/// <summary>
/// W&amp;B run files written by hand for the tests (the readers' and, linked, the CLI's): protobuf records
/// (wandb/proto/wandb_internal.proto) framed as W&amp;B's writer frames them (docs/RUN-FORMATS.md): the 7-byte header, then LevelDB's
/// log format in 32 KiB blocks, each chunk's CRC the zlib CRC-32 of its type byte and data, computed here bit by bit (independent of
/// the reader's <c>Crc32Ieee</c>).
/// </summary>
internal static class WandbFraming
{
    /// <summary>The log's block size (wandb/sdk/internal/datastore.py, LEVELDBLOG_BLOCK_LEN).</summary>
    public const int BlockSize = 32768;

    /// <summary>Protobuf by hand: a length-delimited field of the parts joined.</summary>
    public static byte[] Pb(int field, params byte[][] parts)
    {
        byte[] body = [.. parts.SelectMany(p => p)];
        return [.. Varint((ulong)(field << 3 | 2)), .. Varint((ulong)body.Length), .. body];
    }

    /// <summary>Protobuf by hand: a varint field.</summary>
    public static byte[] PbVarint(int field, long value) => [.. Varint((ulong)(field << 3)), .. Varint((ulong)value)];

    public static byte[] Varint(ulong v)
    {
        var o = new List<byte>();
        for (; v >= 0x80; v >>= 7) o.Add((byte)(v | 0x80));
        o.Add((byte)v);
        return [.. o];
    }

    public static byte[] Utf8(string s) => System.Text.Encoding.UTF8.GetBytes(s);

    /// <summary>An item (HistoryItem, ConfigItem, SummaryItem): key (1), value_json (16).</summary>
    public static byte[] Item(string key, string json) => [.. Pb(1, Utf8(key)), .. Pb(16, Utf8(json))];

    /// <summary>A Record with a history row (field 2): items (1) and, when given, step.num (2 -> 1).</summary>
    public static byte[] HistoryRecord(long? step, params (string Key, string Json)[] items) =>
        Pb(2, [.. items.Select(i => Pb(1, Item(i.Key, i.Json))), .. step is { } s ? [Pb(2, PbVarint(1, s))] : Array.Empty<byte[]>()]);

    /// <summary>A Record with a config (5) or summary (3) record: updates (1) and removes (2, by key).</summary>
    public static byte[] ItemsRecord(int field, (string Key, string Json)[] update, params string[] remove) =>
        Pb(field, [.. update.Select(i => Pb(1, Item(i.Key, i.Json))), .. remove.Select(k => Pb(2, Pb(1, Utf8(k))))]);

    /// <summary>A Record with a run record (17): run_id (1), display_name (8), starting_step (14).</summary>
    public static byte[] RunRecord(string id, string name, long startingStep = 0) =>
        Pb(17, Pb(1, Utf8(id)), Pb(8, Utf8(name)), startingStep == 0 ? [] : PbVarint(14, startingStep));

    /// <summary>A transaction log of <paramref name="records"/>, framed as W&amp;B's writer frames them (FULL, or FIRST/MIDDLE/LAST across blocks).</summary>
    public static byte[] Frame(IEnumerable<byte[]> records)
    {
        using var o = new MemoryStream();
        FrameTo(o, records);
        return o.ToArray();
    }

    /// <summary><see cref="Frame"/> written to <paramref name="o"/> (a file of any length, written as the records come).</summary>
    public static void FrameTo(Stream o, IEnumerable<byte[]> records)
    {
        o.Write([.. ":W&B"u8, 0xE1, 0xBE, 0]);
        Span<byte> head = stackalloc byte[7];
        foreach (var r in records)
        {
            int done = 0;
            bool first = true;
            do
            {
                int left = BlockSize - (int)(o.Position % BlockSize);
                if (left < 7) { o.Write(new byte[left]); continue; }
                int n = Math.Min(left - 7, r.Length - done);
                bool last = done + n == r.Length;
                byte type = first && last ? (byte)1 : first ? (byte)2 : last ? (byte)4 : (byte)3;
                var data = r.AsSpan(done, n);
                BitConverter.TryWriteBytes(head, ChunkCrc(type, data));
                BitConverter.TryWriteBytes(head[4..], (ushort)n);
                head[6] = type;
                o.Write(head);
                o.Write(data);
                done += n;
                first = false;
            }
            while (done < r.Length);
        }
    }

    /// <summary>A chunk's checksum: CRC-32 of IEEE 802.3 / zlib (reflected polynomial 0xEDB88320) of its type byte, then its data.</summary>
    public static uint ChunkCrc(byte type, ReadOnlySpan<byte> data)
    {
        uint c = Step(0xFFFFFFFF, type);
        foreach (byte b in data) c = Step(c, b);
        return ~c;

        static uint Step(uint c, byte b)
        {
            c ^= b;
            for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            return c;
        }
    }
}
