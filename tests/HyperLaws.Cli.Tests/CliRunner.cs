using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace HyperLaws.Cli.Tests;

using Xunit;

/// <summary>What one in-process run of <c>hyperlaws</c> produced.</summary>
internal sealed record CliResult(int ExitCode, string Stdout, string Stderr)
{
    /// <summary>Stdout parsed as one JSON object; fails if stdout holds anything else.</summary>
    public JsonObject Json()
    {
        Assert.True(ExitCode is 0 or 1, $"exit code {ExitCode}; stderr: {Stderr}");
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(Stdout);
        }
        catch (JsonException e)
        {
            Assert.Fail($"stdout is not a single JSON value ({e.Message}):\n{Stdout}");
            throw;
        }
        return Assert.IsType<JsonObject>(node);
    }

    /// <summary>
    /// Asserts the bad-input contract: exit code 2, nothing on stdout, exactly one line on stderr
    /// starting "hyperlaws: error:", no stack trace. Returns that line.
    /// </summary>
    public string AssertUsageError()
    {
        Assert.True(ExitCode == CliApp.UsageError, $"expected exit code 2, got {ExitCode}; stdout: {Stdout}; stderr: {Stderr}");
        Assert.Equal("", Stdout);
        Assert.DoesNotContain("   at ", Stderr, StringComparison.Ordinal);
        Assert.EndsWith("\n", Stderr, StringComparison.Ordinal);
        string line = Stderr.TrimEnd('\n', '\r');
        Assert.False(line.Contains('\n', StringComparison.Ordinal) || line.Contains('\r', StringComparison.Ordinal),
            $"stderr has more than one line:\n{Stderr}");
        Assert.StartsWith("hyperlaws: error:", line, StringComparison.Ordinal);
        return line;
    }
}

/// <summary>Runs the command line in process through <see cref="CliApp.Run"/>, capturing both streams.</summary>
internal static class Cli
{
    public static CliResult Run(params string[] args)
    {
        using var output = new StringWriter(CultureInfo.InvariantCulture);
        using var error = new StringWriter(CultureInfo.InvariantCulture);
        int code = CliApp.Run(args, output, error);
        return new CliResult(code, output.ToString(), error.ToString());
    }

    /// <summary>Runs a command line written as one string (arguments separated by spaces, none containing one).</summary>
    public static CliResult Run(string commandLine) => Run(Split(commandLine));

    /// <summary>Runs a command expected to succeed with <c>--json</c> and returns the parsed object.</summary>
    public static JsonObject RunJson(string commandLine)
    {
        var r = Run(commandLine);
        Assert.True(r.ExitCode == 0, $"'{commandLine}' exited {r.ExitCode}; stderr: {r.Stderr}");
        Assert.Equal("", r.Stderr);
        return r.Json();
    }

    public static string[] Split(string commandLine) => commandLine.Split(' ', StringSplitOptions.RemoveEmptyEntries);
}

/// <summary>Small assertions on JSON numbers.</summary>
internal static class JsonAssert
{
    public static double Number(JsonNode? parent, string name)
    {
        Assert.NotNull(parent);
        var node = parent[name];
        var value = node as JsonValue;
        Assert.True(value?.GetValueKind() == JsonValueKind.Number, $"'{name}' is not a number: {node?.ToJsonString() ?? "missing/null"}");
        return value!.GetValue<double>();
    }

    public static void Relative(double expected, double actual, double tolerance, string what = "value")
    {
        double error = Math.Abs(actual - expected) / Math.Abs(expected);
        Assert.True(error <= tolerance, $"{what}: expected {expected:R} within relative {tolerance:G3}, got {actual:R} (relative error {error:G3})");
    }

    public static void Close(JsonNode? parent, string name, double expected, double tolerance) =>
        Relative(expected, Number(parent, name), tolerance, name);
}
