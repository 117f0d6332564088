using System.Runtime.InteropServices;

namespace HyperLaws.Platform;

/// <summary>
/// Classifies paths by the file type bits of <c>lstat</c>. On Linux it calls <c>statx(2)</c>, whose
/// <c>struct statx</c> layout is the same on every architecture (<c>stx_mode</c>, a 16-bit field, at
/// byte 28); elsewhere it falls back to what .NET reports (no special files detected).
/// </summary>
public static class FileKind
{
    private const int AtFdCwd = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const uint StatxType = 0x1;
    private const int ModeOffset = 28;
    private const int TypeMask = 0xF000, FifoBits = 0x1000, CharBits = 0x2000, DirBits = 0x4000, BlockBits = 0x6000,
        RegularBits = 0x8000, LinkBits = 0xA000, SocketBits = 0xC000;

    [DllImport("libc", EntryPoint = "statx", SetLastError = true)]
    private static extern int Statx(int dirfd, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, uint mask, byte[] buffer);

    [DllImport("libc", EntryPoint = "access", SetLastError = true)]
    private static extern int Access([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int mode);

    /// <summary>
    /// Whether this process may create entries in the folder <paramref name="folder"/>: <c>access(2)</c> with <c>W_OK | X_OK</c>
    /// (its real user's permissions, a read-only file system included). Where that call is missing (not Linux), true: the
    /// write itself reports a refusal.
    /// </summary>
    public static bool CanCreateIn(string folder)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        if (!OperatingSystem.IsLinux()) return true;
        try
        {
            const int WriteOk = 2, ExecuteOk = 1;
            return Access(folder, WriteOk | ExecuteOk) == 0;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return true;
        }
    }

    /// <summary>The kind of <paramref name="path"/> itself (a symbolic link is reported as one, not followed).</summary>
    public static PathKind Of(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (OperatingSystem.IsLinux() && TryStatx(path, AtSymlinkNoFollow, out int mode)) return FromMode(mode);
        var info = new FileInfo(path);
        if (info.LinkTarget is not null) return PathKind.SymbolicLink;
        if (Directory.Exists(path)) return PathKind.Directory;
        return info.Exists ? PathKind.Regular : PathKind.Missing;
    }

    /// <summary>The kind of what <paramref name="path"/> names once symbolic links are followed.</summary>
    public static PathKind Target(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (OperatingSystem.IsLinux() && TryStatx(path, 0, out int mode)) return FromMode(mode);
        if (Directory.Exists(path)) return PathKind.Directory;
        return File.Exists(path) ? PathKind.Regular : PathKind.Missing;
    }

    /// <summary>True when the path exists and is a FIFO, a device or a socket (after following links).</summary>
    public static bool IsSpecial(string path) => !string.IsNullOrEmpty(path) && Target(path) == PathKind.Special;

    private static PathKind FromMode(int mode) => (mode & TypeMask) switch
    {
        0 => PathKind.Missing,
        RegularBits => PathKind.Regular,
        DirBits => PathKind.Directory,
        LinkBits => PathKind.SymbolicLink,
        FifoBits or CharBits or BlockBits or SocketBits => PathKind.Special,
        _ => PathKind.Special,
    };

    private static bool TryStatx(string path, int flags, out int mode)
    {
        mode = 0;
        var buffer = new byte[256];
        try
        {
            if (Statx(AtFdCwd, path, flags, StatxType, buffer) != 0)
            {
                // ENOENT / ENOTDIR: nothing there. Other failures (EACCES, ...): let the caller's open report them.
                int errno = Marshal.GetLastPInvokeError();
                if (errno is 2 or 20) { mode = 0; return true; }
                return false;
            }
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
        mode = BitConverter.ToUInt16(buffer, ModeOffset);
        return true;
    }
}
