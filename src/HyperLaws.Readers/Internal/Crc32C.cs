using System.Buffers.Binary;
using System.Numerics;

namespace HyperLaws.Readers.Internal;

/// <summary>CRC-32C (Castagnoli) with TFRecord's mask, on <see cref="BitOperations.Crc32C(uint, ulong)"/>.</summary>
internal static class Crc32C
{
    public static uint Compute(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFFFFFFu;
        int i = 0;
        for (; i + 8 <= data.Length; i += 8) crc = BitOperations.Crc32C(crc, BinaryPrimitives.ReadUInt64LittleEndian(data[i..]));
        for (; i < data.Length; i++) crc = BitOperations.Crc32C(crc, data[i]);
        return ~crc;
    }

    /// <summary>
    /// TensorFlow's mask delta (<c>kMaskDelta</c> in tensorflow/core/lib/hash/crc32c.h and LevelDB's
    /// util/crc32c.h; <c>CRC_MASK_DELTA</c> in TensorBoard's data server).
    /// </summary>
    public const uint MaskDelta = 0xa282ead8u;

    /// <summary>TFRecord's masked CRC: ((crc >> 15) | (crc &lt;&lt; 17)) + 0xa282ead8.</summary>
    public static uint Masked(ReadOnlySpan<byte> data)
    {
        uint crc = Compute(data);
        return unchecked(((crc >> 15) | (crc << 17)) + MaskDelta);
    }
}
