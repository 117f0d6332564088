namespace HyperLaws.Readers.Internal;

/// <summary>A minimal protobuf wire-format reader (varint, 64-bit, length-delimited, 32-bit fields).</summary>
internal ref struct ProtoReader
{
    private readonly ReadOnlySpan<byte> _data;
    private int _pos;

    public ProtoReader(ReadOnlySpan<byte> data)
    {
        _data = data;
        _pos = 0;
    }

    public readonly bool AtEnd => _pos >= _data.Length;

    /// <summary>Reads a field key; false at the end of the message.</summary>
    public bool Next(out int field, out int wireType)
    {
        if (AtEnd)
        {
            field = 0;
            wireType = 0;
            return false;
        }
        ulong key = ReadVarint();
        field = (int)(key >> 3);
        wireType = (int)(key & 7);
        if (field <= 0) throw new FormatException("invalid protobuf field number 0.");
        return true;
    }

    public ulong ReadVarint()
    {
        ulong result = 0;
        for (int shift = 0; shift < 64; shift += 7)
        {
            if (_pos >= _data.Length) throw new FormatException("truncated protobuf varint.");
            byte b = _data[_pos++];
            result |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0) return result;
        }
        throw new FormatException("protobuf varint longer than 10 bytes.");
    }

    public double ReadDouble() => BitConverter.Int64BitsToDouble((long)ReadFixed64());

    public float ReadFloat() => BitConverter.Int32BitsToSingle((int)ReadFixed32());

    public ulong ReadFixed64()
    {
        if (_pos + 8 > _data.Length) throw new FormatException("truncated protobuf 64-bit field.");
        ulong v = System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(_data[_pos..]);
        _pos += 8;
        return v;
    }

    public uint ReadFixed32()
    {
        if (_pos + 4 > _data.Length) throw new FormatException("truncated protobuf 32-bit field.");
        uint v = System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(_data[_pos..]);
        _pos += 4;
        return v;
    }

    public ReadOnlySpan<byte> ReadBytes()
    {
        ulong len = ReadVarint();
        if (len > (ulong)(_data.Length - _pos)) throw new FormatException($"protobuf length {len} runs past the end of the message.");
        var s = _data.Slice(_pos, (int)len);
        _pos += (int)len;
        return s;
    }

    public void Skip(int wireType)
    {
        switch (wireType)
        {
            case 0: ReadVarint(); break;
            case 1: ReadFixed64(); break;
            case 2: ReadBytes(); break;
            case 5: ReadFixed32(); break;
            default: throw new FormatException($"unsupported protobuf wire type {wireType}.");
        }
    }
}
