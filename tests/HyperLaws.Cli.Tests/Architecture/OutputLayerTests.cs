using System.Globalization;
using HyperLaws.Cli.Commands.Validate;
using HyperLaws.Cli.Output;
using HyperLaws.Tests;

namespace HyperLaws.Cli.Tests.Architecture;

using Xunit;

/// <summary>
/// The CLI's one output layer: JSON text is made only in Output/ (<see cref="Json"/> through <see cref="ResultOutput"/>),
/// commands hand it JSON nodes; <c>validate</c>'s handler returns a record that its renderer prints.
/// </summary>
public sealed class OutputLayerTests
{
    /// <summary>What turns a JSON node into text (or writes JSON without a node); allowed in Output/ only.</summary>
    private static readonly string[] Serialisers = ["Json.Serialize(", "JsonSerializer.", "Utf8JsonWriter", "ToJsonString(", ".WriteLine(Json"];

    [Fact]
    public void Commands_make_no_JSON_text_of_their_own()
    {
        string commands = Path.Combine(RepositoryRoot(), "src", "HyperLaws.Cli", "Commands");
        var files = Directory.EnumerateFiles(commands, "*.cs", SearchOption.AllDirectories).ToList();
        Assert.True(files.Count > 50, $"only {files.Count} command sources under {commands}");
        var found = (from f in files
                     from line in File.ReadLines(f).Select((text, i) => (text, i))
                     from s in Serialisers
                     where line.text.Contains(s, StringComparison.Ordinal)
                     select $"{Path.GetRelativePath(commands, f)}:{line.i + 1}: {s}").ToList();
        Assert.True(found.Count == 0, "JSON written outside Output/ResultOutput:\n" + string.Join("\n", found));
    }

    /// <summary>The folder holding HyperLaws.slnx, above the test binaries.</summary>
    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "HyperLaws.slnx"))) return dir.FullName;
        throw new InvalidOperationException($"no HyperLaws.slnx above {AppContext.BaseDirectory}");
    }

    [Fact]
    public void Every_validate_result_record_has_a_renderer()
    {
        var records = typeof(ValidateResult).Assembly.GetTypes().Where(t => t.IsSubclassOf(typeof(ValidateResult)) && !t.IsAbstract).ToList();
        Assert.True(records.Count >= 11, $"{records.Count} result records");
        var rendered = typeof(ValidateResult).Assembly.GetTypes()
            .SelectMany(t => t.GetInterfaces())
            .Where(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IResultRenderer<>))
            .Select(i => i.GetGenericArguments()[0]).ToHashSet();
        Assert.Empty(records.Where(r => !rendered.Contains(r)).Select(r => r.Name));
    }

    [Fact]
    public void Validate_handler_returns_a_record_and_prints_nothing_the_renderer_prints_the_command_output()
    {
        string data = DataFolders.Shared;
        var settings = new ValidateSettings(data, 5, [], false, [], false, 0.2, false, Runs.LossSplit.Validation, false, Json: true, Quiet: true,
            new IntervalSettings(false, null, null, null, null, []));
        using var stdout = new StringWriter(CultureInfo.InvariantCulture);
        using var stderr = new StringWriter(CultureInfo.InvariantCulture);
        var io = new CliIo(stdout, stderr);
        var result = ValidateHandler.Run(io, settings);
        var scoreboard = Assert.IsType<CriticalBatchScoreboard>(result);
        Assert.Equal(5, scoreboard.Protocol);
        Assert.Equal("", stdout.ToString());
        Assert.Equal("", stderr.ToString());

        ValidateRenderer.Write(io, result, json: true);
        var command = Cli.Run("validate", "--protocol", "5", "--data", data, "--json");
        Assert.Equal(0, command.ExitCode);
        Assert.Equal(command.Stdout, stdout.ToString());

        using var table = new StringWriter(CultureInfo.InvariantCulture);
        ValidateRenderer.Write(new CliIo(table, stderr), result, json: false);
        Assert.Equal(Cli.Run("validate", "--protocol", "5", "--data", data, "--quiet").Stdout, table.ToString());
        Assert.Contains("Protocol 5: S(B) = S_min (1 + B_noise / B)", table.ToString(), StringComparison.Ordinal);
    }
}
