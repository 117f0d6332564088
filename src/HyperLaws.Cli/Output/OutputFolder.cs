using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using HyperLaws.Platform;

namespace HyperLaws.Cli.Output;

/// <summary>
/// The one writer for whole output folders (plan --out DIR, sweep --out DIR). Every file is written into a
/// hidden staging folder inside the target (<c>.hyperlaws-staging-PID-ID</c>, on the same file system, so
/// each move is a rename); <see cref="Commit"/> then moves them into place, the files named last (the
/// report) at the very end. SIGINT and SIGTERM before the commit remove the staging folder and leave the
/// target as it was; during the commit (a few renames) they are held until it is done, so an interrupted
/// run never leaves a new plan.json beside an old report.html. Staging folders left by a process that no
/// longer exists (a crash, SIGKILL) are removed when the next run starts. A target that is the root folder,
/// a symbolic link, a device or FIFO, or a file is refused before anything is written.
/// </summary>
public sealed class OutputFolder : IDisposable
{
    private const string Prefix = ".hyperlaws-staging-";
    private static readonly object Gate = new();
    private static readonly List<OutputFolder> Open = [];
    private static PosixSignalRegistration[]? _signals;
    private static bool _committing;
    private static int? _deferredExit;

    private readonly bool _createdTarget;
    private bool _committed;

    private OutputFolder(string target, string staging, bool createdTarget)
    {
        Target = target;
        Staging = staging;
        _createdTarget = createdTarget;
    }

    /// <summary>The folder the user named.</summary>
    public string Target { get; }

    /// <summary>Where to write: a hidden folder inside <see cref="Target"/>.</summary>
    public string Staging { get; }

    /// <summary>Checks <paramref name="target"/> (named by <paramref name="option"/> in errors), cleans stale staging folders, and opens a new one.</summary>
    public static OutputFolder Begin(string option, string target)
    {
        try
        {
            AtomicFile.CheckFolder(target);
        }
        catch (IOException e)
        {
            throw new UserInputException($"{option}: {e.Message}");
        }
        return Files.Guard(target, () =>
        {
            bool created = !Directory.Exists(target);
            Directory.CreateDirectory(target);
            RemoveStale(target);
            string staging = Path.Combine(target, $"{Prefix}{Environment.ProcessId}-{Guid.NewGuid():N}");
            Directory.CreateDirectory(staging);
            var folder = new OutputFolder(target, staging, created);
            lock (Gate)
            {
                Open.Add(folder);
                _signals ??= [PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal), PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal)];
            }
            return folder;
        });
    }

    /// <summary>
    /// Moves every staged file into <see cref="Target"/> (subfolders kept), those whose names are in
    /// <paramref name="last"/> after all others, in that order. Returns the final paths in the order moved.
    /// </summary>
    public IReadOnlyList<string> Commit(params string[] last)
    {
        var staged = Directory.EnumerateFiles(Staging, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(Staging, f))
            .Where(f => !Path.GetFileName(f).StartsWith('.'))
            .OrderBy(f => Array.IndexOf(last, f) is var i && i < 0 ? -1 : i)
            .ThenBy(f => f, StringComparer.Ordinal)
            .ToList();
        var moved = new List<string>();
        lock (Gate) _committing = true;
        try
        {
            Files.Guard(Target, () =>
            {
                foreach (string rel in staged)
                {
                    string to = Path.Combine(Target, rel);
                    Directory.CreateDirectory(Path.GetDirectoryName(to)!);
                    if (FileKind.Of(to) is PathKind.SymbolicLink or PathKind.Special or PathKind.Directory)
                        throw new IOException($"{to} exists and is not a plain file; it is left as it is.");
                    File.Move(Path.Combine(Staging, rel), to, overwrite: true);
                    moved.Add(to);
                }
                return 0;
            });
            _committed = true;
        }
        finally
        {
            int? exit;
            lock (Gate)
            {
                _committing = false;
                exit = _deferredExit;
            }
            Dispose();
            if (exit is { } code) Environment.Exit(code);
        }
        return moved;
    }

    /// <summary>Removes the staging folder (and the target when this run created it and left it empty).</summary>
    public void Dispose()
    {
        lock (Gate) Open.Remove(this);
        Cleanup();
    }

    private void Cleanup()
    {
        try
        {
            if (Directory.Exists(Staging)) Directory.Delete(Staging, recursive: true);
            if (!_committed && _createdTarget && Directory.Exists(Target) && !Directory.EnumerateFileSystemEntries(Target).Any()) Directory.Delete(Target);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Best effort: a leftover staging folder is removed by the next run (RemoveStale).
        }
    }

    private static void OnSignal(PosixSignalContext context)
    {
        int code = 128 + (context.Signal == PosixSignal.SIGINT ? 2 : 15);
        lock (Gate)
        {
            if (_committing)
            {
                // A few renames from done: finish them, then exit with the signal's code.
                _deferredExit = code;
                context.Cancel = true;
                return;
            }
            foreach (var folder in Open) folder.Cleanup();
            Open.Clear();
        }
        context.Cancel = true;
        Environment.Exit(code);
    }

    /// <summary>Staging folders of processes that are gone (a crash or SIGKILL mid-write).</summary>
    private static void RemoveStale(string target)
    {
        foreach (string dir in Directory.EnumerateDirectories(target, Prefix + "*"))
        {
            string rest = Path.GetFileName(dir)[Prefix.Length..];
            int dash = rest.IndexOf('-', StringComparison.Ordinal);
            if (dash <= 0 || !int.TryParse(rest[..dash], NumberStyles.None, CultureInfo.InvariantCulture, out int pid)) continue;
            if (pid == Environment.ProcessId || Alive(pid)) continue;
            try
            {
                Directory.Delete(dir, recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Not ours to fight over: left for the user.
            }
        }
    }

    private static bool Alive(int pid)
    {
        try
        {
            using var p = Process.GetProcessById(pid);
            return !p.HasExited;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            return false;
        }
    }
}
