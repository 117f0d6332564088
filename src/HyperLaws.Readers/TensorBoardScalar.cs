using System.Globalization;
using System.Text;
using HyperLaws.Readers.Internal;
using HyperLaws.Runs;

namespace HyperLaws.Readers;

/// <summary>A scalar read from a TensorBoard event file.</summary>
public readonly record struct TensorBoardScalar(string Tag, long Step, double Value, double WallTime, int Record);
