using System.Globalization;
using System.Text.Json.Nodes;
using HyperLaws.Fitting;
using HyperLaws.Platform;

namespace HyperLaws.Cli.Output;

/// <summary>
/// The CLI's <see cref="IFitCache"/>: one small JSON file per fit, <c>KEY.json</c>, in <see cref="DefaultFolder"/>
/// ($HYPERLAWS_CACHE_DIR, else $XDG_CACHE_HOME/hyperlaws/fits, else ~/.cache/hyperlaws/fits; on Windows
/// %LOCALAPPDATA%\hyperlaws\fits). Written to a temporary file and moved into place; an entry that cannot be read or parsed
/// is a miss and a failed write is dropped: the cache never fails a command.
/// </summary>
internal sealed class FitCacheFolder(string folder) : IFitCache
{
    public string Folder { get; } = folder;

    public static string DefaultFolder()
    {
        if (Environment.GetEnvironmentVariable("HYPERLAWS_CACHE_DIR") is { Length: > 0 } own) return own;
        if (OperatingSystem.IsWindows())
            return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData), "hyperlaws", "fits");
        string root = Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } xdg
            ? xdg
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
        return Path.Combine(root, "hyperlaws", "fits");
    }

    /// <summary>The sentence the commands' --help gives for their --no-fit-cache flag.</summary>
    public const string HelpText = "Fit every law afresh: neither read nor write the fit cache (fits keyed by a hash of the runs, the law, the fit options and this build; folder: $HYPERLAWS_CACHE_DIR, else $XDG_CACHE_HOME/hyperlaws/fits or ~/.cache/hyperlaws/fits).";

    public CachedFit? TryGet(string key)
    {
        try
        {
            string path = Path.Combine(Folder, key + ".json");
            if (!File.Exists(path)) return null;
            var node = JsonNode.Parse(File.ReadAllText(path));
            if (node is not JsonObject o || (string?)o["key"] != key) return null;
            var parameters = o["parameters"]!.AsArray().Select(v => Number((string)v!)).ToArray();
            return new CachedFit(parameters, Number((string)o["objective"]!), (int)o["iterations"]!, (int)o["evaluations"]!, (bool)o["converged"]!, (string)o["stopReason"]!);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Text.Json.JsonException or FormatException or InvalidOperationException or NullReferenceException or ArgumentException)
        {
            return null;
        }
    }

    public void Store(string key, CachedFit fit)
    {
        try
        {
            var o = new JsonObject
            {
                ["key"] = key,
                // Numbers as round-trip text: NaN and infinities survive, every bit comes back.
                ["parameters"] = new JsonArray([.. fit.Parameters.Select(p => (JsonNode)JsonValue.Create(Text(p)))]),
                ["objective"] = Text(fit.Objective),
                ["iterations"] = fit.Iterations,
                ["evaluations"] = fit.Evaluations,
                ["converged"] = fit.Converged,
                ["stopReason"] = fit.StopReason,
            };
            AtomicFile.Write(Path.Combine(Folder, key + ".json"), o.ToJsonString());
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A cache that cannot be written is no cache; the fit itself stands.
        }
    }

    private static string Text(double x) => x.ToString("R", CultureInfo.InvariantCulture);

    private static double Number(string s) => double.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture);
}
