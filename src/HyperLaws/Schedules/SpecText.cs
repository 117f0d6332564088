using System.Globalization;
using System.Text;

namespace HyperLaws.Schedules;

/// <summary>
/// The text form. Grammar (whitespace allowed between tokens):
/// <code>
/// spec   := family '(' [field (',' field)*] ')'
/// field  := name '=' value
/// value  := spec | list | string | word
/// list   := '[' [number ((';' | ',') number)*] ']'
/// string := '"' (any char, with \" and \\ escaped)* '"'
/// word   := run of characters other than whitespace and , ; ( ) [ ] = "   (numbers, shapes, plain paths)
/// </code>
/// Nested parentheses and brackets are parsed recursively, so commas only separate fields at their own level.
/// </summary>
internal static class SpecText
{
    /// <summary>
    /// Deepest nesting of schedules accepted (continued(previous=continued(...)) and the like). Real specs nest
    /// two or three deep; the limit keeps a hostile spec from exhausting the stack of the recursive parser.
    /// </summary>
    public const int MaxDepth = 32;

    public static SpecNode Parse(string text)
    {
        var p = new Parser(text);
        p.SkipWhitespace();
        if (p.AtEnd) throw new ScheduleSpecException("empty schedule spec");
        var node = p.ParseSpec();
        p.SkipWhitespace();
        if (!p.AtEnd)
            throw new ScheduleSpecException(p.Peek == ')'
                ? $"unbalanced parentheses: unexpected ')' at position {p.Position + 1}"
                : $"unexpected text after the spec at position {p.Position + 1}: '{p.Rest}'");
        return node;
    }

    /// <summary>
    /// The text of <paramref name="node"/>: numbers as the node holds them (round-trip "R": "6.67E-05"), the canonical form that
    /// keys and JSON carry; with <paramref name="display"/> their exponent written lower-case for people ("6.67e-05"), the same value.
    /// </summary>
    public static string Write(SpecNode node, bool display = false)
    {
        var sb = new StringBuilder();
        Write(node, sb, display);
        return sb.ToString();
    }

    /// <summary>A number's text for people: the exponent marker lower-case ("6.67E-05" -> "6.67e-05"), which reads back as the same double.</summary>
    /// <summary>A number's text with its exponent lower-case; any other bare word (a file name such as LR_E.csv, unquoted) as it is.</summary>
    private static string Display(string number) =>
        double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out _) ? number.Replace('E', 'e') : number;

    private static void Write(SpecNode node, StringBuilder sb, bool display)
    {
        sb.Append(node.Family).Append('(');
        for (int i = 0; i < node.Fields.Count; i++)
        {
            if (i > 0) sb.Append(',');
            sb.Append(node.Fields[i].Key).Append('=');
            switch (node.Fields[i].Value)
            {
                case SpecValue.Scalar { IsString: false } s: sb.Append(display ? Display(s.Text) : s.Text); break;
                case SpecValue.Scalar s: AppendWord(s.Text, sb); break;
                case SpecValue.List l: sb.Append('[').AppendJoin(';', display ? l.Items.Select(Display) : l.Items).Append(']'); break;
                case SpecValue.Nested n: Write(n.Node, sb, display); break;
            }
        }
        sb.Append(')');
    }

    private static void AppendWord(string s, StringBuilder sb)
    {
        bool bare = s.Length > 0 && s.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-' or '+' or '/' or ':' or '~');
        if (bare) { sb.Append(s); return; }
        sb.Append('"');
        foreach (char c in s)
        {
            if (c is '"' or '\\') sb.Append('\\');
            sb.Append(c);
        }
        sb.Append('"');
    }

    internal static bool IsWordChar(char c) => !char.IsWhiteSpace(c) && c is not (',' or ';' or '(' or ')' or '[' or ']' or '=' or '"');

    private sealed class Parser(string text)
    {
        private int _pos;

        public bool AtEnd => _pos >= text.Length;

        public char Peek => text[_pos];

        public int Position => _pos;

        public string Rest => text[_pos..];

        public void SkipWhitespace()
        {
            while (_pos < text.Length && char.IsWhiteSpace(text[_pos])) _pos++;
        }

        private int _depth;

        public SpecNode ParseSpec()
        {
            if (++_depth > MaxDepth)
                throw new ScheduleSpecException($"schedules nested more than {MaxDepth} deep (at position {_pos + 1})");
            try
            {
                return ParseSpecAtDepth();
            }
            finally
            {
                _depth--;
            }
        }

        private SpecNode ParseSpecAtDepth()
        {
            int start = _pos;
            string family = Word();
            if (family.Length == 0) throw new ScheduleSpecException($"expected a family name at position {start + 1}");
            SkipWhitespace();
            if (AtEnd || Peek != '(') throw new ScheduleSpecException($"expected '(' after family '{family}' at position {_pos + 1}");
            int open = _pos++;
            var fields = new List<KeyValuePair<string, SpecValue>>();
            SkipWhitespace();
            if (!AtEnd && Peek == ')') { _pos++; return new SpecNode(family, fields); }
            while (true)
            {
                SkipWhitespace();
                if (AtEnd) throw Unclosed(family, open);
                int keyAt = _pos;
                string key = Word();
                if (key.Length == 0) throw new ScheduleSpecException($"{family}: expected a field name at position {keyAt + 1}");
                SkipWhitespace();
                if (AtEnd) throw Unclosed(family, open);
                if (Peek != '=') throw new ScheduleSpecException($"{family}: expected '=' after field '{key}' at position {_pos + 1}");
                _pos++;
                fields.Add(new(key, Value(family, key, open)));
                SkipWhitespace();
                if (AtEnd) throw Unclosed(family, open);
                char c = text[_pos++];
                if (c == ')') return new SpecNode(family, fields);
                if (c != ',') throw new ScheduleSpecException($"{family}: expected ',' or ')' after field '{key}' at position {_pos}, found '{c}'");
            }
        }

        private static ScheduleSpecException Unclosed(string family, int open) =>
            new($"unbalanced parentheses: '{family}(' opened at position {open + 1} is never closed");

        private SpecValue Value(string family, string key, int open)
        {
            SkipWhitespace();
            if (AtEnd) throw Unclosed(family, open);
            int start = _pos;
            switch (Peek)
            {
                case '"':
                    return new SpecValue.Scalar(Quoted(family, key), true);
                case '[':
                    return List(family, key);
                default:
                    string word = Word();
                    if (word.Length == 0) throw new ScheduleSpecException($"{family}: field '{key}' has no value (position {start + 1})");
                    int after = _pos;
                    SkipWhitespace();
                    if (!AtEnd && Peek == '(')
                    {
                        _pos = start;
                        return new SpecValue.Nested(ParseSpec());
                    }
                    _pos = after;
                    return new SpecValue.Scalar(word, false);
            }
        }

        private string Word()
        {
            int start = _pos;
            while (_pos < text.Length && IsWordChar(text[_pos])) _pos++;
            return text[start.._pos];
        }

        private string Quoted(string family, string key)
        {
            int open = _pos++;
            var sb = new StringBuilder();
            while (_pos < text.Length)
            {
                char c = text[_pos++];
                if (c == '"') return sb.ToString();
                if (c == '\\' && _pos < text.Length && text[_pos] is '"' or '\\') c = text[_pos++];
                sb.Append(c);
            }
            throw new ScheduleSpecException($"{family}: field '{key}': unterminated string starting at position {open + 1}");
        }

        private SpecValue List(string family, string key)
        {
            int open = _pos++;
            var items = new List<string>();
            SkipWhitespace();
            if (!AtEnd && Peek == ']') { _pos++; return new SpecValue.List(items); }
            while (true)
            {
                SkipWhitespace();
                int at = _pos;
                string item = Word();
                if (item.Length == 0)
                    throw AtEnd
                        ? new ScheduleSpecException($"{family}: field '{key}': unbalanced brackets: '[' at position {open + 1} is never closed")
                        : new ScheduleSpecException($"{family}: field '{key}': expected a number at position {at + 1}");
                items.Add(item);
                SkipWhitespace();
                if (AtEnd) throw new ScheduleSpecException($"{family}: field '{key}': unbalanced brackets: '[' at position {open + 1} is never closed");
                char c = text[_pos++];
                if (c == ']') return new SpecValue.List(items);
                if (c is not (';' or ',')) throw new ScheduleSpecException($"{family}: field '{key}': expected ';' or ']' at position {_pos}, found '{c}'");
            }
        }
    }
}
