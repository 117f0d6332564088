using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace HyperLaws.Schedules;

/// <summary>
/// Reads a 1-D NumPy <c>.npy</c> array as doubles: format versions 1.0, 2.0 and 3.0; dtype <c>&lt;f8</c>
/// or <c>&lt;f4</c>; C order. Anything else is an <see cref="InvalidDataException"/> naming the file and the problem.
/// Layout: magic "\x93NUMPY", major, minor, header length (uint16 LE in 1.0, uint32 LE in 2.0/3.0), a Python
/// dict literal header (latin-1, UTF-8 in 3.0), then the raw data.
/// </summary>
public static partial class NpyReader
{
    private static ReadOnlySpan<byte> Magic => [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    /// <summary>Reads the file at <paramref name="path"/>.</summary>
    public static double[] Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return Read(File.ReadAllBytes(path), path);
    }

    /// <summary>Parses the bytes of a .npy file; <paramref name="name"/> names it in errors.</summary>
    public static double[] Read(ReadOnlySpan<byte> bytes, string name)
    {
        if (bytes.Length < 10 || !bytes[..6].SequenceEqual(Magic))
            throw Bad(name, "not a NumPy .npy file (bad magic; expected \\x93NUMPY)");
        byte major = bytes[6], minor = bytes[7];
        int headerStart;
        long headerLength;
        switch (major)
        {
            case 1:
                headerLength = BinaryPrimitives.ReadUInt16LittleEndian(bytes[8..]);
                headerStart = 10;
                break;
            case 2 or 3:
                if (bytes.Length < 12) throw Bad(name, "truncated header");
                headerLength = BinaryPrimitives.ReadUInt32LittleEndian(bytes[8..]);
                headerStart = 12;
                break;
            default:
                throw Bad(name, $"unsupported format version {major}.{minor} (supported: 1.0, 2.0, 3.0)");
        }
        if (headerStart + headerLength > bytes.Length) throw Bad(name, $"truncated header (needs {headerLength} bytes, file has {bytes.Length - headerStart})");
        var headerBytes = bytes.Slice(headerStart, (int)headerLength);
        string header = major == 3 ? Encoding.UTF8.GetString(headerBytes) : Encoding.Latin1.GetString(headerBytes);

        string descr = Field(DescrRegex(), header, name, "descr");
        string fortran = Field(FortranRegex(), header, name, "fortran_order");
        string shapeText = Field(ShapeRegex(), header, name, "shape");
        int itemSize = descr switch
        {
            "<f8" => 8,
            "<f4" => 4,
            _ => throw Bad(name, $"unsupported dtype '{descr}' (supported: '<f8', '<f4')"),
        };
        if (fortran != "False") throw Bad(name, "Fortran-ordered arrays are not supported (fortran_order must be False)");
        string[] dims = shapeText.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (dims.Length != 1) throw Bad(name, $"expected a 1-D array, got shape ({shapeText}) with {dims.Length} dimensions");
        if (!long.TryParse(dims[0], NumberStyles.None, CultureInfo.InvariantCulture, out long count) || count > Array.MaxLength)
            throw Bad(name, $"bad shape ({shapeText})");

        var data = bytes[(int)(headerStart + headerLength)..];
        long needed = count * itemSize;
        if (data.Length < needed) throw Bad(name, $"truncated data: shape ({count},) of {descr} needs {needed} bytes, file has {data.Length}");
        if (data.Length > needed) throw Bad(name, $"{data.Length - needed} unexpected bytes after the data");
        var result = new double[count];
        for (int i = 0; i < result.Length; i++)
            result[i] = itemSize == 8
                ? BinaryPrimitives.ReadDoubleLittleEndian(data[(8 * i)..])
                : BinaryPrimitives.ReadSingleLittleEndian(data[(4 * i)..]);
        return result;
    }

    private static string Field(Regex regex, string header, string name, string key)
    {
        var m = regex.Match(header);
        if (!m.Success) throw Bad(name, $"header has no readable '{key}' entry: {header.Trim()}");
        return m.Groups[1].Value;
    }

    private static InvalidDataException Bad(string name, string why) => new($"{name}: {why}");

    [GeneratedRegex(@"['""]descr['""]\s*:\s*['""]([^'""]*)['""]")]
    private static partial Regex DescrRegex();

    [GeneratedRegex(@"['""]fortran_order['""]\s*:\s*(True|False)")]
    private static partial Regex FortranRegex();

    [GeneratedRegex(@"['""]shape['""]\s*:\s*\(([^)]*)\)")]
    private static partial Regex ShapeRegex();
}
