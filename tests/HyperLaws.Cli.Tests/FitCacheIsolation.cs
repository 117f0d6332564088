using System.Runtime.CompilerServices;

namespace HyperLaws.Cli.Tests;

/// <summary>
/// The commands keep finished fits in the user's cache folder unless told otherwise; the tests point it at a folder of their
/// own (removed when the test process ends), so that they neither read a developer's cache nor leave files in it.
/// </summary>
internal static class FitCacheIsolation
{
    [ModuleInitializer]
    internal static void Isolate()
    {
        string folder = Path.Combine(Path.GetTempPath(), "hyperlaws-cli-tests-fit-cache-" + Environment.ProcessId);
        Environment.SetEnvironmentVariable("HYPERLAWS_CACHE_DIR", folder);
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        };
    }
}
