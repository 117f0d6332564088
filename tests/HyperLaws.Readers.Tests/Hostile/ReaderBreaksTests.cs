using HyperLaws.Tests;
using Xunit;

namespace HyperLaws.Readers.Tests.Hostile;

/// <summary>The reader-side breaks of issue 13, each as reproduced on main.</summary>
public sealed class ReaderBreaksTests : IDisposable
{
    private readonly TempDir _tmp = new();

    public void Dispose() => _tmp.Dispose();

    [Theory]
    [InlineData("cosine_99999999999")]
    [InlineData("wsd_99999999999_99999999999")]
    [InlineData("wsdcon_99999999999")]
    public void Mpl_name_with_a_huge_step_count_is_a_format_error_not_an_overflow(string stem)
    {
        var e = Assert.Throws<FormatException>(() => MplCsvReader.ScheduleFor(stem));
        Assert.Contains("99999999999", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_file_schedule_nested_600_deep_is_a_format_error_not_a_stack_overflow()
    {
        string deep = string.Concat(Enumerable.Repeat("continued(previous=", 600)) + "cosine(peak=1e-3,steps=2)"
            + string.Concat(Enumerable.Repeat(",next=cosine(peak=1e-3,steps=2))", 600));
        string path = _tmp.File("run.csv", $"# schedule: {deep}\nstep,loss\n1,5\n2,4\n");
        var e = Assert.ThrowsAny<FormatException>(() => RunReader.Read(path));
        Assert.Contains("nested", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_file_schedule_of_a_billion_steps_is_refused_before_allocating()
    {
        string path = _tmp.File("run.csv", "# schedule: constant(peak=1e-3,steps=999999999)\nstep,loss\n1,5\n2,4\n");
        long before = GC.GetTotalAllocatedBytes();
        var e = Assert.ThrowsAny<FormatException>(() => RunReader.Read(path));
        Assert.Contains("memory", e.Message, StringComparison.Ordinal);
        Assert.True(GC.GetTotalAllocatedBytes() - before < 500_000_000);
    }

    [Fact]
    public void A_corrupt_wandb_parent_is_blamed_not_its_child()
    {
        string data = Path.Combine(DataFolders.Shared, "lr-scheduling", "data");
        string child = Directory.GetFiles(data, "ann124-*.json").Order(StringComparer.Ordinal).First();
        string parentStem = WandbReader.Read(child).Metadata.Tags["branchedFrom"];
        string childCopy = Path.Combine(_tmp.Path, Path.GetFileName(child));
        string parentCopy = Path.Combine(_tmp.Path, parentStem + ".json");
        File.Copy(child, childCopy);
        string parentText = File.ReadAllText(Path.Combine(data, parentStem + ".json"));
        File.WriteAllText(parentCopy, parentText[..(parentText.Length / 2)]); // cut in half: not valid JSON
        var e = Assert.Throws<RunFormatException>(() => WandbReader.Read(childCopy));
        Assert.Equal(parentCopy, e.File);
        Assert.DoesNotContain("parent run missing", e.Message, StringComparison.Ordinal);
        var set = WandbReader.ReadDirectory(_tmp.Path);
        Assert.Contains(set.Failures, f => f.File == parentCopy);
        Assert.DoesNotContain(set.Failures, f => f.File == childCopy && f.Message.Contains("parent run missing", StringComparison.Ordinal));
    }
}
