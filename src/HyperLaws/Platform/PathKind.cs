using System.Runtime.InteropServices;

namespace HyperLaws.Platform;

/// <summary>What a path names, without opening it (opening a FIFO blocks until a writer comes).</summary>
public enum PathKind
{
    /// <summary>Nothing at the path.</summary>
    Missing,
    /// <summary>A regular file.</summary>
    Regular,
    /// <summary>A directory.</summary>
    Directory,
    /// <summary>A symbolic link (not followed).</summary>
    SymbolicLink,
    /// <summary>A FIFO, a character or block device, or a socket: never a data file or an output target.</summary>
    Special,
}
