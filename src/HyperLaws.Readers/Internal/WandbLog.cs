using System.Buffers.Binary;

namespace HyperLaws.Readers.Internal;

/// <summary>
/// The framing of a W&amp;B transaction log (<c>run-ID.wandb</c>): a 7-byte header (ident <c>:W&amp;B</c>, magic 0xBEE1 little-endian,
/// version byte), then LevelDB's log format (github.com/google/leveldb doc/log_format.md) counted from offset 0 of the file: 32 KiB
/// blocks, each chunk a 7-byte header (checksum uint32 LE, length uint16 LE, type: 1 FULL, 2 FIRST, 3 MIDDLE, 4 LAST) and its data, a
/// block's last 1..6 bytes zero padding when no chunk header fits. Unlike LevelDB the checksum is the plain CRC-32 (IEEE) of the type
/// byte and the data (<see cref="Crc32Ieee"/>). Sources: wandb/sdk/internal/datastore.py (<c>scan_data</c>, <c>_read_header</c>) and
/// wandb core's core/pkg/leveldb/record.go (<c>NewReaderExt(..., CRCAlgoIEEE)</c>, chunks start after the header in block 0).
/// </summary>
internal static class WandbLog
{
    public const int BlockSize = 32768;
    public const int ChunkHeaderSize = 7;
    public const int FileHeaderSize = 7;
    public const ushort Magic = 0xBEE1;

    /// <summary>A record (its chunks joined) and the offset of its first chunk header.</summary>
    public readonly record struct Record(long Offset, byte[] Data);

    /// <summary>The records read; when the file ends inside a record, where that record starts and what is missing.</summary>
    public sealed record Contents(List<Record> Records, long? TornAt, string? TornProblem);

    /// <summary>True when the bytes start with the ident <c>:W&amp;B</c> (the header's other fields are checked by <see cref="Read"/>).</summary>
    public static bool HasIdent(ReadOnlySpan<byte> head) => head.Length >= 4 && head[0] == (byte)':' && head[1] == (byte)'W' && head[2] == (byte)'&' && head[3] == (byte)'B';

    /// <summary>
    /// Splits the file into records. A bad header, a CRC mismatch, a chunk that crosses its block, an unknown chunk type, a fragment out
    /// of order, non-zero block padding or a chunk length past the end of the file with a valid chunk after it throw
    /// <see cref="RunFormatException"/> at <c>offset N</c>; a file that ends inside a chunk or inside a fragmented record, or in a
    /// zero-filled tail (an all-zero chunk header, or a bad CRC whose data ends in zeros to the end) returns the records before it with
    /// <see cref="Contents.TornAt"/> set (the caller decides).
    /// </summary>
    public static Contents Read(string path, byte[] bytes)
    {
        if (bytes.Length < FileHeaderSize || !HasIdent(bytes))
            throw new RunFormatException(path, "offset 0", $"not a W&B run file: the header is {Hex(bytes.AsSpan(0, Math.Min(FileHeaderSize, bytes.Length)))}, expected 3A572642 E1BE 00 (':W&B', magic, version).");
        ushort magic = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(4, 2));
        if (magic != Magic) throw new RunFormatException(path, "offset 4", $"wrong W&B header magic 0x{magic:X4} (expected 0xBEE1).");
        // Version 0: what every released SDK writes and reads (wandbStoreVersion in core/internal/transactionlog); 1: announced in
        // W&B's golden-log corpus (tests/assets/compat_logs/README.md) for the encoding whose automatic steps carry no number.
        byte version = bytes[6];
        if (version > 1) throw new RunFormatException(path, "offset 6", $"W&B transaction log version {version} is not supported (versions 0 and 1 are).");

        var records = new List<Record>();
        List<byte>? pending = null;
        long pendingAt = 0;
        long pos = FileHeaderSize, len = bytes.Length;
        while (pos < len)
        {
            int left = BlockSize - (int)(pos % BlockSize);
            if (left < ChunkHeaderSize)
            {
                long end = Math.Min(pos + left, len);
                for (long i = pos; i < end; i++)
                    if (bytes[i] != 0) throw new RunFormatException(path, $"offset {i}", $"non-zero byte 0x{bytes[i]:X2} in the padding at the end of a 32 KiB block (corrupt file).");
                pos += left;
                continue;
            }
            if (len - pos < ChunkHeaderSize)
                return new Contents(records, pending is null ? pos : pendingAt, $"the file ends inside a chunk header ({len - pos} of 7 bytes)");
            var head = bytes.AsSpan((int)pos, ChunkHeaderSize);
            // An all-zero chunk header is space never written (a file preallocated, or zero-filled after a node crash): W&B's Go
            // LiveReader (core/pkg/leveldb, livereader.go) stops there and waits. Zeros to the end are a torn tail; data after them is
            // corruption.
            if (!head.ContainsAnyExcept((byte)0))
            {
                long nz = FirstNonZero(bytes, pos);
                if (nz < 0) return new Contents(records, pending is null ? pos : pendingAt, $"the file ends in {len - pos} zero bytes (space never written, as after a crash)");
                throw new RunFormatException(path, $"offset {pos}", $"an all-zero chunk header (unwritten space) followed by data at offset {nz} (corrupt file).");
            }
            uint crc = BinaryPrimitives.ReadUInt32LittleEndian(head);
            int n = BinaryPrimitives.ReadUInt16LittleEndian(head[4..]);
            byte type = head[6];
            if (ChunkHeaderSize + n > left)
                throw new RunFormatException(path, $"offset {pos}", $"a chunk of {n} bytes runs past the end of its 32 KiB block ({left - ChunkHeaderSize} bytes left there; corrupt file).");
            if (pos + ChunkHeaderSize + n > len)
            {
                // A torn tail, unless the length itself is corrupt (a flipped bit): then a valid chunk lies among the bytes it swallows.
                if (NextValidChunk(bytes, pos + 1) is { } q)
                    throw new RunFormatException(path, $"offset {pos}", $"chunk length {n} runs past the end of the file but a valid chunk follows at offset {q} (corrupt file).");
                return new Contents(records, pending is null ? pos : pendingAt, $"the file ends inside a chunk ({len - pos - ChunkHeaderSize} of {n} data bytes)");
            }
            var data = bytes.AsSpan((int)pos + ChunkHeaderSize, n);
            uint actual = Crc32Ieee.Append(Crc32Ieee.Compute([type]), data);
            // A chunk whose data was written only in part before a crash: its data ends in zeros that run on to the end of the file
            // (the zero-filled tail the Go LiveReader treats as not yet written).
            if (actual != crc && n > 0 && data[^1] == 0 && FirstNonZero(bytes, pos + ChunkHeaderSize + n) < 0)
                return new Contents(records, pending is null ? pos : pendingAt, $"a chunk with a bad CRC whose data ends in zeros to the end of the file (written in part, as after a crash)");
            if (actual != crc)
                throw new RunFormatException(path, $"offset {pos}", $"chunk CRC mismatch: stored 0x{crc:X8}, computed 0x{actual:X8} over {n} data bytes (corrupt file).");
            switch (type)
            {
                case 1:
                    if (pending is not null) throw Order(path, pos, "a FULL chunk", pendingAt);
                    records.Add(new Record(pos, data.ToArray()));
                    break;
                case 2:
                    if (pending is not null) throw Order(path, pos, "a FIRST chunk", pendingAt);
                    pending = [.. data];
                    pendingAt = pos;
                    break;
                case 3 or 4:
                    if (pending is null)
                        throw new RunFormatException(path, $"offset {pos}", $"a {(type == 3 ? "MIDDLE" : "LAST")} chunk with no FIRST chunk before it (corrupt file).");
                    pending.AddRange(data);
                    if (type == 4)
                    {
                        records.Add(new Record(pendingAt, [.. pending]));
                        pending = null;
                    }
                    break;
                default:
                    throw new RunFormatException(path, $"offset {pos}", $"unknown chunk type {type} (1 FULL, 2 FIRST, 3 MIDDLE, 4 LAST; corrupt file).");
            }
            pos += ChunkHeaderSize + n;
        }
        if (pending is not null) return new Contents(records, pendingAt, "the file ends inside a record split over blocks (no LAST chunk)");
        return new Contents(records, null, null);
    }

    /// <summary>The offset of the first non-zero byte at or after <paramref name="from"/>, or -1 when the rest of the file is zeros.</summary>
    private static long FirstNonZero(byte[] bytes, long from)
    {
        if (from >= bytes.Length) return -1;
        int i = bytes.AsSpan((int)from).IndexOfAnyExcept((byte)0);
        return i < 0 ? -1 : from + i;
    }

    /// <summary>
    /// The offset of the first chunk at or after <paramref name="from"/> that is one: type 1..4, its data inside its block and the file,
    /// its CRC right (a chance match is 1 in 2^32 per candidate); null when none.
    /// </summary>
    private static long? NextValidChunk(byte[] bytes, long from)
    {
        for (long q = Math.Max(from, FileHeaderSize); q + ChunkHeaderSize <= bytes.Length; q++)
        {
            int left = BlockSize - (int)(q % BlockSize);
            if (left < ChunkHeaderSize) continue;
            byte type = bytes[q + 6];
            if (type is < 1 or > 4) continue;
            int n = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan((int)q + 4, 2));
            if (ChunkHeaderSize + n > left || q + ChunkHeaderSize + n > bytes.Length) continue;
            uint crc = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan((int)q, 4));
            if (Crc32Ieee.Append(Crc32Ieee.Compute([type]), bytes.AsSpan((int)q + ChunkHeaderSize, n)) == crc) return q;
        }
        return null;
    }

    private static RunFormatException Order(string path, long pos, string what, long firstAt) =>
        new(path, $"offset {pos}", $"{what} inside the record whose FIRST chunk is at offset {firstAt} (corrupt file).");

    private static string Hex(ReadOnlySpan<byte> b) => b.Length == 0 ? "empty" : Convert.ToHexString(b);
}
