using System.Text;
using Xunit;

namespace HyperLaws.Tests.Architecture;

/// <summary>
/// The numerical core (src/HyperLaws) names no command-line option: no string literal in its code holds "--" and a
/// letter where an option would start (at its start or inside a sentence, after a character that is not a letter, digit
/// or '-'). The core says which quantity is missing or wrong (a field, an enum, a parameter name) and the CLI maps it
/// to its option (e.g. <c>MissingQuantityException</c> -> <c>ScalingQuantityOptions</c>). Comments may mention options;
/// literals may not. The literals are found by a small C# lexer (comments, char literals, regular, verbatim, interpolated
/// and raw strings, with the code inside interpolation holes lexed in turn).
/// </summary>
public sealed class CoreNamesNoOptionTests
{
    [Fact]
    public void No_string_literal_in_the_core_names_an_option()
    {
        string core = Path.Combine(DataFolders.Repo, "..", "src", "HyperLaws"); // DataFolders.Repo is the repository's data/ folder
        var files = Directory.EnumerateFiles(core, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .ToList();
        Assert.True(files.Count > 100, $"only {files.Count} source files found under {core}");
        int literals = 0;
        var problems = new List<string>();
        foreach (string file in files)
        {
            foreach (var (line, text) in StringLiterals(File.ReadAllText(file)))
            {
                literals++;
                if (NamesOption(text))
                    problems.Add($"{Path.GetRelativePath(core, file).Replace(Path.DirectorySeparatorChar, '/')}:{line}: \"{text}\"");
            }
        }
        Assert.True(literals > 1000, $"only {literals} string literals found: the lexer is broken");
        Assert.True(problems.Count == 0, "the core names CLI options (say which quantity instead, and let the CLI name its option):"
            + Environment.NewLine + string.Join(Environment.NewLine, problems));
    }

    [Theory]
    [InlineData("Require(Batch, \"--batch\");", true)]
    [InlineData("var s = @\"--momentum\";", true)]
    [InlineData("var s = $\"--lr {x}\";", true)]
    [InlineData("var s = $\"a {(b ? \"--ridge-exponent\" : \"c\")} d\";", true)]
    [InlineData("var s = $@\"x {{ {y} }}\" + \"--tokens\";", true)]
    [InlineData("var s = \"\"\"\n--raw\n\"\"\";", true)]
    [InlineData("// Require(Batch, \"--batch\");", false)]
    [InlineData("/* \"--batch\" */ var s = \"batch\";", false)]
    [InlineData("var s = \"a -- b\"; var t = \"--\"; var u = \"--5\";", false)]
    [InlineData("var c = '\"'; var s = \"batch --in-a-sentence\";", true)]
    [InlineData("var s = $\"refit it with 'hyperlaws diverge --fit' ({x})\";", true)]
    [InlineData("var s = \"(x; --no-stall-check keeps it)\";", true)]
    [InlineData("var s = \"a--b, x---y, 1--2, -- z\";", false)]
    [InlineData("if (--count == 0) return \"x\";", false)]
    public void The_lexer_finds_option_literals_in_code_and_not_in_comments(string code, bool found)
    {
        Assert.Equal(found, StringLiterals(code).Any(l => NamesOption(l.Text)));
    }

    /// <summary>"--" then a letter, at the start or after a character that is not a letter, digit or '-' ("a--b" is no option).</summary>
    private static bool NamesOption(string text)
    {
        for (int i = text.IndexOf("--", StringComparison.Ordinal); i >= 0; i = text.IndexOf("--", i + 1, StringComparison.Ordinal))
            if (i + 2 < text.Length && char.IsAsciiLetter(text[i + 2]) && (i == 0 || !(char.IsLetterOrDigit(text[i - 1]) || text[i - 1] == '-')))
                return true;
        return false;
    }

    /// <summary>Every string literal of <paramref name="code"/> with the line it starts on; interpolation holes read "{}".</summary>
    internal static List<(int Line, string Text)> StringLiterals(string code)
    {
        var found = new List<(int, string)>();
        int i = 0;
        Code(code, ref i, inHole: false, found);
        return found;
    }

    // Lexes code from i; in an interpolation hole, returns after the brace that closes it.
    private static void Code(string s, ref int i, bool inHole, List<(int, string)> found)
    {
        int depth = 0;
        while (i < s.Length)
        {
            char c = s[i];
            char next = i + 1 < s.Length ? s[i + 1] : '\0';
            if (c == '/' && next == '/')
            {
                while (i < s.Length && s[i] != '\n') i++;
            }
            else if (c == '/' && next == '*')
            {
                int end = s.IndexOf("*/", i + 2, StringComparison.Ordinal);
                i = end < 0 ? s.Length : end + 2;
            }
            else if (c == '\'')
            {
                i++;
                while (i < s.Length && s[i] != '\'') i += s[i] == '\\' ? 2 : 1;
                i++;
            }
            else if (c == '"' || ((c == '$' || c == '@') && StringFollows(s, i)))
            {
                found.Add(Literal(s, ref i, found));
            }
            else
            {
                if (inHole && c == '{') depth++;
                if (inHole && c == '}' && depth-- == 0) { i++; return; }
                i++;
            }
        }
    }

    private static bool StringFollows(string s, int i)
    {
        while (i < s.Length && (s[i] == '$' || s[i] == '@')) i++;
        return i < s.Length && s[i] == '"';
    }

    private static (int, string) Literal(string s, ref int i, List<(int, string)> found)
    {
        int line = 1 + s.AsSpan(0, i).Count('\n');
        bool verbatim = false, interpolated = false;
        while (s[i] != '"')
        {
            verbatim |= s[i] == '@';
            interpolated |= s[i] == '$';
            i++;
        }
        int quotes = 0;
        while (i + quotes < s.Length && s[i + quotes] == '"') quotes++;
        if (quotes >= 3)
        {
            // Raw string: its content runs to the same number of quotes; leading whitespace and the first newline dropped.
            int start = i + quotes;
            int end = s.IndexOf(new string('"', quotes), start, StringComparison.Ordinal);
            end = end < 0 ? s.Length : end;
            i = Math.Min(s.Length, end + quotes);
            return (line, s[start..end].TrimStart());
        }
        i++; // the opening quote
        var text = new StringBuilder();
        while (i < s.Length)
        {
            char c = s[i];
            char next = i + 1 < s.Length ? s[i + 1] : '\0';
            if (!verbatim && c == '\\') { text.Append(c).Append(next); i += 2; }
            else if (verbatim && c == '"' && next == '"') { text.Append('"'); i += 2; }
            else if (c == '"') { i++; break; }
            else if (interpolated && (c == '{' || c == '}') && next == c) { text.Append(c); i += 2; }
            else if (interpolated && c == '{') { i++; Code(s, ref i, inHole: true, found); text.Append("{}"); }
            else { text.Append(c); i++; }
        }
        return (line, text.ToString());
    }
}
