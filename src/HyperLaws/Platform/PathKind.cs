using System.Runtime.InteropServices;

namespace HyperLaws.Platform;

/// <summary>What a path names, without opening it (opening a FIFO blocks until a writer comes).</summary>
public enum PathKind
{
    Missing,
    Regular,
    Directory,
    SymbolicLink,
    /// <summary>A FIFO, a character or block device, or a socket: never a data file or an output target.</summary>
    Special,
}
