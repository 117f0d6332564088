using System.Text.RegularExpressions;
using HyperLaws.Cli.Output;
using Xunit;

namespace HyperLaws.Cli.Tests;

/// <summary>HYPERLAWS_TIMING's writer: every line, however it was written, starts with the wall and CPU time since the process started
/// and the methods JIT-compiled so far with the JIT's time, the garbage collections so far and the bytes allocated.</summary>
public sealed partial class TimedWriterTests
{
    [GeneratedRegex(@"^\[ *(\d+\.\d\d) s, *(\d+\.\d\d) s CPU, *(\d+) JIT in *(\d+\.\d\d) s, *(\d+) GC \((\d+) gen2\), *(\d+\.\d\d) GB\] (.*)$")]
    private static partial Regex Stamped();

    [Fact]
    public void Each_line_carries_its_times_and_its_text_unchanged()
    {
        var inner = new StringWriter();
        var timed = new TimedWriter(inner);
        timed.Write("plan: held-out ");
        timed.Write('c');
        timed.WriteLine("heck ...");
        timed.WriteLine($"plan: {44} schedules evaluated ...");
        timed.Write("two\r\nlines\n");
        var lines = inner.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(4, lines.Length);
        Assert.Equal(["plan: held-out check ...", "plan: 44 schedules evaluated ...", "two", "lines"], lines.Select(l => Stamped().Match(l).Groups[8].Value));
        var wall = lines.Select(l => double.Parse(Stamped().Match(l).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        var cpu = lines.Select(l => double.Parse(Stamped().Match(l).Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        var jitted = lines.Select(l => long.Parse(Stamped().Match(l).Groups[3].Value, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        var jit = lines.Select(l => double.Parse(Stamped().Match(l).Groups[4].Value, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        var collections = lines.Select(l => int.Parse(Stamped().Match(l).Groups[5].Value, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        var gen2 = lines.Select(l => int.Parse(Stamped().Match(l).Groups[6].Value, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        var allocated = lines.Select(l => double.Parse(Stamped().Match(l).Groups[7].Value, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.All(lines, l => Assert.Matches(Stamped(), l));
        // Times and counts since the process started: positive (this test's own code was JIT-compiled) and never decreasing.
        Assert.True(wall[0] > 0 && cpu[0] > 0 && jitted[0] > 0);
        for (int i = 1; i < lines.Length; i++)
            Assert.True(wall[i] >= wall[i - 1] && cpu[i] >= cpu[i - 1] && jitted[i] >= jitted[i - 1] && jit[i] >= jit[i - 1]
                && collections[i] >= collections[i - 1] && gen2[i] >= gen2[i - 1] && allocated[i] >= allocated[i - 1]);
        // A collection of generation 2 is one of all collections.
        Assert.All(lines.Select((_, i) => i), i => Assert.True(gen2[i] <= collections[i]));
    }
}
