using System.Buffers.Binary;
using System.Text;
using HyperLaws.Schedules;
using Xunit;

namespace HyperLaws.Tests.Schedules;

/// <summary>The .npy reader on small files written here (v1.0 f8, v1.0 f4, v2.0, v3.0) and on broken ones.</summary>
public sealed class NpyReaderTests : IDisposable
{
    private readonly TempDir _tmp = new();

    public void Dispose() => _tmp.Dispose();

    private static byte[] Npy(int major, string descr, string shape, byte[] data, bool fortran = false)
    {
        string dict = $"{{'descr': '{descr}', 'fortran_order': {(fortran ? "True" : "False")}, 'shape': {shape}, }}";
        int prefix = major == 1 ? 10 : 12;
        int total = (prefix + dict.Length + 1 + 63) / 64 * 64;
        string header = dict.PadRight(total - prefix - 1) + "\n";
        var bytes = new List<byte> { 0x93 };
        bytes.AddRange("NUMPY"u8.ToArray());
        bytes.Add((byte)major);
        bytes.Add(0);
        if (major == 1) bytes.AddRange(BitConverter.GetBytes((ushort)header.Length));
        else bytes.AddRange(BitConverter.GetBytes((uint)header.Length));
        bytes.AddRange(Encoding.Latin1.GetBytes(header));
        bytes.AddRange(data);
        return [.. bytes];
    }

    private static byte[] F8(params double[] xs)
    {
        var b = new byte[8 * xs.Length];
        for (int i = 0; i < xs.Length; i++) BinaryPrimitives.WriteDoubleLittleEndian(b.AsSpan(8 * i), xs[i]);
        return b;
    }

    private static byte[] F4(params float[] xs)
    {
        var b = new byte[4 * xs.Length];
        for (int i = 0; i < xs.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(b.AsSpan(4 * i), xs[i]);
        return b;
    }

    private string Write(string name, byte[] bytes)
    {
        string path = _tmp.Combine(name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    [Fact]
    public void ReadsVersion1Float64()
    {
        double[] xs = [3e-4, 2.9e-4, 1e-300, 0];
        Assert.Equal(xs, NpyReader.Read(Write("a.npy", Npy(1, "<f8", "(4,)", F8(xs)))));
    }

    [Fact]
    public void ReadsVersion1Float32()
    {
        float[] xs = [3e-4f, 1.5f, 0];
        Assert.Equal(xs.Select(x => (double)x), NpyReader.Read(Write("b.npy", Npy(1, "<f4", "(3,)", F4(xs)))));
    }

    [Fact]
    public void ReadsVersions2And3()
    {
        Assert.Equal([1.0, 2.0], NpyReader.Read(Write("c.npy", Npy(2, "<f8", "(2,)", F8(1, 2)))));
        Assert.Equal([1.0], NpyReader.Read(Write("d.npy", Npy(3, "<f8", "(1,)", F8(1)))));
    }

    [Fact]
    public void TableFromFile_ReadsTheArray()
    {
        string path = Write("t.npy", Npy(1, "<f8", "(3,)", F8(3e-4, 2e-4, 1e-4)));
        var t = (TableSchedule)LrSchedule.Parse($"table(file=\"{path}\",warmup=2)");
        Assert.Equal([1.5e-4, 3e-4, 3e-4, 2e-4, 1e-4], t.Evaluate());
        Assert.Equal(t, LrSchedule.Parse(t.ToSpec()));
    }

    [Fact]
    public void TableFromFile_RefusesAFolderADeviceAndALinkToAFolderByWhatTheyAre()
    {
        // One FileKind.Target look (links followed) says what the path is before any read.
        string folder = Path.Combine(_tmp.Path, "lr.npy");
        Directory.CreateDirectory(folder);
        Assert.Equal($"{folder} is a folder, not a file.", Assert.Throws<IOException>(() => TableSchedule.FromFile(folder)).Message);
        string link = Path.Combine(_tmp.Path, "link.csv");
        File.CreateSymbolicLink(link, folder);
        Assert.Equal($"{link} is a folder, not a file.", Assert.Throws<IOException>(() => TableSchedule.FromFile(link, "lr")).Message);
        if (OperatingSystem.IsLinux())
            Assert.Equal("/dev/zero is not a regular file (a device, FIFO or socket).", Assert.Throws<IOException>(() => TableSchedule.FromFile("/dev/zero")).Message);
        Assert.Throws<FileNotFoundException>(() => TableSchedule.FromFile(Path.Combine(_tmp.Path, "missing.csv"), "lr"));
    }

    [Theory]
    [InlineData("truncated", "truncated data")]
    [InlineData("int64", "unsupported dtype '<i8'")]
    [InlineData("2d", "expected a 1-D array, got shape (2, 3)")]
    [InlineData("magic", "bad magic")]
    [InlineData("fortran", "Fortran-ordered")]
    [InlineData("version", "unsupported format version 9.0")]
    public void BrokenFiles_GiveClearErrorsNamingTheFile(string kind, string expected)
    {
        byte[] bytes = kind switch
        {
            "truncated" => Npy(1, "<f8", "(4,)", F8(1, 2, 3, 4))[..^5],
            "int64" => Npy(1, "<i8", "(2,)", new byte[16]),
            "2d" => Npy(1, "<f8", "(2, 3)", F8(1, 2, 3, 4, 5, 6)),
            "magic" => [.. "PK\u0003\u0004 not numpy at all"u8],
            "fortran" => Npy(1, "<f8", "(2,)", F8(1, 2), fortran: true),
            _ => [0x93, .. "NUMPY"u8, 9, 0, 0, 0, 0, 0],
        };
        string path = Write($"{kind}.npy", bytes);
        var e = Assert.Throws<InvalidDataException>(() => NpyReader.Read(path));
        Assert.Contains(path, e.Message);
        Assert.Contains(expected, e.Message);
        var spec = Assert.Throws<ScheduleSpecException>(() => LrSchedule.Parse($"table(file=\"{path}\")"));
        Assert.Contains(path, spec.Message);
    }

    [Fact]
    public void CsvColumn_IsReadByName_AndErrorsNameFileAndLine()
    {
        string path = _tmp.Combine("s.csv");
        File.WriteAllLines(path, ["step,lr,loss", "1,0.001,4.5", "", "2,0.0005,4.4"]);
        Assert.Equal([0.001, 0.0005], CsvColumnReader.Read(path, "lr"));
        var t = LrSchedule.Parse($"table(file=\"{path}\",column=lr)");
        Assert.Equal([0.001, 0.0005], t.Evaluate());
        Assert.Equal(t, LrSchedule.FromJson(t.ToJson()));

        var missing = Assert.Throws<InvalidDataException>(() => CsvColumnReader.Read(path, "eta"));
        Assert.Contains($"{path}: line 1: no column 'eta'", missing.Message);
        File.WriteAllLines(path, ["step,lr", "1,0.001", "2,abc"]);
        var bad = Assert.Throws<InvalidDataException>(() => CsvColumnReader.Read(path, "lr"));
        Assert.Contains($"{path}: line 3: column 'lr' is not a number: 'abc'", bad.Message);
    }
}
