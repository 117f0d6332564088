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

    /// <summary>Where a torn tail starts and what is missing (both null when the whole file was read).</summary>
    public readonly record struct Tail(long? At, string? Problem);

    /// <summary>
    /// Receives one record: the offset of its first chunk header and its data, valid only during the call (a block's bytes or the
    /// joined fragments, reused for the next record).
    /// </summary>
    public delegate void RecordHandler(long offset, ReadOnlySpan<byte> data);

    /// <summary>True when the bytes start with the ident <c>:W&amp;B</c> (the header's other fields are checked by <see cref="Scan"/>).</summary>
    public static bool HasIdent(ReadOnlySpan<byte> head) => head.Length >= 4 && head[0] == (byte)':' && head[1] == (byte)'W' && head[2] == (byte)'&' && head[3] == (byte)'B';

    /// <summary><see cref="Scan"/> over bytes in memory, the records copied out (tests, and the decoder checks).</summary>
    public static Contents Read(string path, byte[] bytes)
    {
        using var stream = new MemoryStream(bytes, writable: false);
        var records = new List<Record>();
        var tail = Scan(path, stream, (offset, data) => records.Add(new Record(offset, data.ToArray())));
        return new Contents(records, tail.At, tail.Problem);
    }

    /// <summary>
    /// Splits the log read from <paramref name="stream"/> (from its current position, read as offset 0 of the log, to its end; a
    /// stream that cannot seek, whose length is unknown, is a <see cref="RunFormatException"/> at offset 0) into records, handed to
    /// <paramref name="onRecord"/> in file order, one 32 KiB block in memory at a time (and the record being joined). A bad header, a
    /// CRC mismatch, a chunk that crosses its block, an unknown chunk type, a fragment out of order, non-zero block padding or a chunk
    /// length past the end of the file with a valid chunk after it throw <see cref="RunFormatException"/> at <c>offset N</c>, and so
    /// does a stream that ends before its length; a file that ends inside a chunk or inside a fragmented record, or in a zero-filled tail
    /// (an all-zero chunk header, or a bad CRC whose data ends in zeros to the end) returns where with <see cref="Tail.At"/> set (the
    /// caller decides), after the records before it.
    /// </summary>
    public static Tail Scan(string path, Stream stream, RecordHandler onRecord)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(onRecord);
        // The framing's checks need the file's length (a torn tail against corruption): a pipe or socket has none.
        if (!stream.CanSeek)
            throw new RunFormatException(path, "offset 0", "cannot read the file: its stream cannot seek, so its length is unknown (give a file).");
        long len = stream.Length - stream.Position;
        var block = new byte[BlockSize];
        long loaded = -1;
        // Loads the block that starts at `start` (blocks are read in order): its bytes up to the end of the file.
        void Load(long start)
        {
            Fill(path, stream, block, start, (int)Math.Min(BlockSize, len - start));
            loaded = start;
        }
        Load(0);
        var first = block.AsSpan(0, (int)Math.Min(FileHeaderSize, len));
        if (len < FileHeaderSize || !HasIdent(first))
            throw new RunFormatException(path, "offset 0", $"not a W&B run file: the header is {Hex(first)}, expected 3A572642 E1BE 00 (':W&B', magic, version).");
        ushort magic = BinaryPrimitives.ReadUInt16LittleEndian(block.AsSpan(4, 2));
        if (magic != Magic) throw new RunFormatException(path, "offset 4", $"wrong W&B header magic 0x{magic:X4} (expected 0xBEE1).");
        // Version 0: what every released SDK writes and reads (wandbStoreVersion in core/internal/transactionlog); 1: announced in
        // W&B's golden-log corpus (tests/assets/compat_logs/README.md) for the encoding whose automatic steps carry no number.
        byte version = block[6];
        if (version > 1) throw new RunFormatException(path, "offset 6", $"W&B transaction log version {version} is not supported (versions 0 and 1 are).");

        // The record being joined from its FIRST, MIDDLE and LAST chunks (a buffer reused from record to record).
        byte[] pending = [];
        int pendingLength = -1;
        long pendingAt = 0;
        long pos = FileHeaderSize;
        while (pos < len)
        {
            long blockStart = pos - pos % BlockSize;
            if (blockStart != loaded) Load(blockStart);
            int at = (int)(pos - blockStart), left = BlockSize - at, inBlock = (int)Math.Min(BlockSize, len - blockStart);
            if (left < ChunkHeaderSize)
            {
                for (int i = at; i < inBlock; i++)
                    if (block[i] != 0) throw new RunFormatException(path, $"offset {blockStart + i}", $"non-zero byte 0x{block[i]:X2} in the padding at the end of a 32 KiB block (corrupt file).");
                pos += left;
                continue;
            }
            long torn = pendingLength < 0 ? pos : pendingAt;
            if (len - pos < ChunkHeaderSize)
                return new Tail(torn, $"the file ends inside a chunk header ({len - pos} of 7 bytes)");
            var head = block.AsSpan(at, ChunkHeaderSize);
            // An all-zero chunk header is space never written (a file preallocated, or zero-filled after a node crash): W&B's Go
            // LiveReader (core/pkg/leveldb, livereader.go) stops there and waits. Zeros to the end are a torn tail; data after them is
            // corruption.
            if (!head.ContainsAnyExcept((byte)0))
            {
                long nz = FirstNonZero(path, stream, block, blockStart, at, len);
                if (nz < 0) return new Tail(torn, $"the file ends in {len - pos} zero bytes (space never written, as after a crash)");
                throw new RunFormatException(path, $"offset {pos}", $"an all-zero chunk header (unwritten space) followed by data at offset {nz} (corrupt file).");
            }
            uint crc = BinaryPrimitives.ReadUInt32LittleEndian(head);
            int n = BinaryPrimitives.ReadUInt16LittleEndian(head[4..]);
            byte type = head[6];
            if (ChunkHeaderSize + n > left)
                throw new RunFormatException(path, $"offset {pos}", $"a chunk of {n} bytes runs past the end of its 32 KiB block ({left - ChunkHeaderSize} bytes left there; corrupt file).");
            if (pos + ChunkHeaderSize + n > len)
            {
                // A torn tail, unless the length itself is corrupt (a flipped bit): then a valid chunk lies among the bytes it swallows
                // (all in this block, the file's last: the chunk would end inside it).
                if (NextValidChunk(block.AsSpan(0, inBlock), at + 1) is { } q)
                    throw new RunFormatException(path, $"offset {pos}", $"chunk length {n} runs past the end of the file but a valid chunk follows at offset {blockStart + q} (corrupt file).");
                return new Tail(torn, $"the file ends inside a chunk ({len - pos - ChunkHeaderSize} of {n} data bytes)");
            }
            var data = block.AsSpan(at + ChunkHeaderSize, n);
            uint actual = Crc32Ieee.Append(Crc32Ieee.Compute([type]), data);
            // A chunk whose data was written only in part before a crash: its data ends in zeros that run on to the end of the file
            // (the zero-filled tail the Go LiveReader treats as not yet written).
            if (actual != crc && n > 0 && data[^1] == 0 && FirstNonZero(path, stream, block, blockStart, at + ChunkHeaderSize + n, len) < 0)
                return new Tail(torn, $"a chunk with a bad CRC whose data ends in zeros to the end of the file (written in part, as after a crash)");
            if (actual != crc)
                throw new RunFormatException(path, $"offset {pos}", $"chunk CRC mismatch: stored 0x{crc:X8}, computed 0x{actual:X8} over {n} data bytes (corrupt file).");
            switch (type)
            {
                case 1:
                    if (pendingLength >= 0) throw Order(path, pos, "a FULL chunk", pendingAt);
                    onRecord(pos, data);
                    break;
                case 2:
                    if (pendingLength >= 0) throw Order(path, pos, "a FIRST chunk", pendingAt);
                    pendingLength = 0;
                    Append(ref pending, ref pendingLength, data);
                    pendingAt = pos;
                    break;
                case 3 or 4:
                    if (pendingLength < 0)
                        throw new RunFormatException(path, $"offset {pos}", $"a {(type == 3 ? "MIDDLE" : "LAST")} chunk with no FIRST chunk before it (corrupt file).");
                    Append(ref pending, ref pendingLength, data);
                    if (type == 4)
                    {
                        onRecord(pendingAt, pending.AsSpan(0, pendingLength));
                        pendingLength = -1;
                    }
                    break;
                default:
                    throw new RunFormatException(path, $"offset {pos}", $"unknown chunk type {type} (1 FULL, 2 FIRST, 3 MIDDLE, 4 LAST; corrupt file).");
            }
            pos += ChunkHeaderSize + n;
        }
        if (pendingLength >= 0) return new Tail(pendingAt, "the file ends inside a record split over blocks (no LAST chunk)");
        return new Tail(null, null);
    }

    /// <summary>Reads <paramref name="count"/> bytes of the block at <paramref name="start"/> into <paramref name="buffer"/>; a stream that ends first, or fails, is an error at that block.</summary>
    private static void Fill(string path, Stream stream, byte[] buffer, long start, int count)
    {
        try
        {
            stream.ReadExactly(buffer, 0, count);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new RunFormatException(path, $"offset {start}", $"cannot read the file: {e.Message}", e);
        }
    }

    /// <summary>Appends <paramref name="data"/> to the record being joined, growing its buffer by doubling.</summary>
    private static void Append(ref byte[] buffer, ref int length, ReadOnlySpan<byte> data)
    {
        if (length + data.Length > buffer.Length) Array.Resize(ref buffer, Math.Max(length + data.Length, 2 * buffer.Length));
        data.CopyTo(buffer.AsSpan(length));
        length += data.Length;
    }

    /// <summary>
    /// The offset of the first non-zero byte at or after offset <paramref name="from"/> of the block loaded at <paramref name="blockStart"/>,
    /// read on through the rest of the file, or -1 when the rest of the file is zeros. The scan ends the framing (a torn tail or an
    /// error follows), so it reads the later blocks into the same buffer.
    /// </summary>
    private static long FirstNonZero(string path, Stream stream, byte[] block, long blockStart, int from, long len)
    {
        for (long start = blockStart; start < len; start += BlockSize)
        {
            int count = (int)Math.Min(BlockSize, len - start);
            if (start != blockStart) Fill(path, stream, block, start, count);
            int begin = start == blockStart ? from : 0;
            if (begin >= count) continue;
            int i = block.AsSpan(begin, count - begin).IndexOfAnyExcept((byte)0);
            if (i >= 0) return start + begin + i;
        }
        return -1;
    }

    /// <summary>
    /// The offset within <paramref name="block"/> (the file's last block, up to the end of the file) of the first chunk at or after
    /// <paramref name="from"/> that is one: type 1..4, its data inside the block, its CRC right (a chance match is 1 in 2^32 per
    /// candidate); null when none. Block 0's file header is no chunk.
    /// </summary>
    private static int? NextValidChunk(ReadOnlySpan<byte> block, int from)
    {
        for (int q = from; q + ChunkHeaderSize <= block.Length; q++)
        {
            int left = BlockSize - q;
            if (left < ChunkHeaderSize) continue;
            byte type = block[q + 6];
            if (type is < 1 or > 4) continue;
            int n = BinaryPrimitives.ReadUInt16LittleEndian(block.Slice(q + 4, 2));
            if (ChunkHeaderSize + n > left || q + ChunkHeaderSize + n > block.Length) continue;
            uint crc = BinaryPrimitives.ReadUInt32LittleEndian(block.Slice(q, 4));
            if (Crc32Ieee.Append(Crc32Ieee.Compute([type]), block.Slice(q + ChunkHeaderSize, n)) == crc) return q;
        }
        return null;
    }

    private static RunFormatException Order(string path, long pos, string what, long firstAt) =>
        new(path, $"offset {pos}", $"{what} inside the record whose FIRST chunk is at offset {firstAt} (corrupt file).");

    private static string Hex(ReadOnlySpan<byte> b) => b.Length == 0 ? "empty" : Convert.ToHexString(b);
}
