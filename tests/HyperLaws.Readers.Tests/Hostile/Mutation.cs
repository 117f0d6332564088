using System.Text;

namespace HyperLaws.Readers.Tests.Hostile;

/// <summary>
/// Seeded mutations of a valid input, the way a hostile or corrupted file differs from a good one: a byte
/// flipped, a range deleted or duplicated, a hostile token inserted (NaN, 1e308, a 12-digit step, NUL,
/// a newline, brackets), or the tail cut off. The same seed gives the same cases on every run.
/// </summary>
internal static class Mutation
{
    private static readonly string[] Tokens =
    [
        "NaN", "nan", "-1e308", "1e308", "1e999", "99999999999", "-1", "0", "\0", "\n", "\r\n", "\"", "{", "}", "[", "]",
        ",", ",,", ":", "=", "(", ")", "inf", "-Infinity", "\u001b[31m", "\u202e", "true", "null", "#", "# schedule: ",
    ];

    public static byte[] Mutate(byte[] input, Random rng)
    {
        var b = new List<byte>(input);
        int edits = 1 + rng.Next(3);
        for (int e = 0; e < edits; e++)
        {
            int at = b.Count == 0 ? 0 : rng.Next(b.Count);
            switch (rng.Next(6))
            {
                case 0 when b.Count > 0:
                    b[at] = (byte)rng.Next(256);
                    break;
                case 1 when b.Count > 0:
                    b.RemoveRange(at, Math.Min(b.Count - at, 1 + rng.Next(64)));
                    break;
                case 2 when b.Count > 0:
                    int len = Math.Min(b.Count - at, 1 + rng.Next(256));
                    b.InsertRange(at, b.GetRange(at, len));
                    break;
                case 3:
                    b.InsertRange(at, Encoding.UTF8.GetBytes(Tokens[rng.Next(Tokens.Length)]));
                    break;
                case 4:
                    b.RemoveRange(at, b.Count - at);
                    break;
                default:
                    // Replace a run of digits by a hostile number.
                    int start = b.FindIndex(at, x => x is >= (byte)'0' and <= (byte)'9');
                    if (start < 0) break;
                    int end = start;
                    while (end < b.Count && b[end] is >= (byte)'0' and <= (byte)'9' or (byte)'.' or (byte)'e' or (byte)'-') end++;
                    b.RemoveRange(start, end - start);
                    b.InsertRange(start, Encoding.UTF8.GetBytes(Tokens[rng.Next(7)]));
                    break;
            }
        }
        return [.. b];
    }

    public static string Mutate(string input, Random rng) => Encoding.UTF8.GetString(Mutate(Encoding.UTF8.GetBytes(input), rng));
}
