namespace HyperLaws.Readers.Internal;

/// <summary>
/// CRC-32 of IEEE 802.3 / zlib (reflected polynomial 0xEDB88320, initial and final XOR 0xFFFFFFFF), unmasked: the checksum of a
/// W&amp;B transaction log's chunks (wandb/sdk/internal/datastore.py: <c>zlib.crc32(data, crc32(type byte))</c>; wandb core's
/// <c>leveldb.CRCAlgoIEEE</c>), not LevelDB's masked CRC-32C (<see cref="Crc32C"/>). Check value: CRC-32("123456789") = 0xCBF43926.
/// </summary>
internal static class Crc32Ieee
{
    private static readonly uint[] Table = BuildTable();

    private static uint[] BuildTable()
    {
        var t = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            uint c = n;
            for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            t[n] = c;
        }
        return t;
    }

    /// <summary>CRC-32 of <paramref name="data"/>.</summary>
    public static uint Compute(ReadOnlySpan<byte> data) => Append(0, data);

    /// <summary>The CRC-32 of the bytes behind <paramref name="crc"/> followed by <paramref name="data"/> (zlib's crc32(data, crc)).</summary>
    public static uint Append(uint crc, ReadOnlySpan<byte> data)
    {
        uint c = ~crc;
        foreach (byte b in data) c = Table[(c ^ b) & 0xFF] ^ (c >> 8);
        return ~c;
    }
}
