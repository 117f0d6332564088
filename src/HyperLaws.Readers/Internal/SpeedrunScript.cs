using System.Globalization;
using System.Text.RegularExpressions;

namespace HyperLaws.Readers.Internal;

/// <summary>
/// What the training script at the top of a modded-nanogpt log (<c>print0(code)</c>: the script logs its own source first) states
/// about the run: its batch in tokens per optimizer step, and its schedule's warmup and cooldown. Only literal arithmetic is read
/// (<c>8*64</c>, <c>int(0.75*2*10172)</c>, <c>48*1024</c>) through names assigned once to such a value (<c>args.X</c> is X); nothing is
/// executed. The batch, by the script generations of the repository (github.com/KellerJordan/modded-nanogpt, <c>records/</c>):
/// <list type="bullet">
/// <item>the token loader <c>train_loader = distributed_data_generator(FILES, B, ...)</c> (December 2024 on) whose definition names
/// its second parameter, on the definition's first line, <c>batch_size</c> or <c>num_tokens</c>: B is the tokens of one optimizer step across all devices
/// (the generator gives each rank <c>B // world_size</c> tokens; with gradient accumulation it yields <c>B // grad_accum_steps</c>
/// per call and the step takes grad_accum_steps calls). B may be <c>batch_size</c>, <c>args.train_batch_size</c> or
/// <c>world_size * args.train_seq_len</c>; world_size is the script's <c>assert world_size == N</c> (these scripts run on 8 GPUs
/// only). A generator taking each rank's tokens (<c>seq_len</c>, July-August 2025) gives none; so does a script that sends the
/// loader a new batch (<c>train_loader.send(</c>, a batch schedule): it has no one batch.</item>
/// <item>the 2024 <c>Hyperparameters</c> dataclass: <c>batch_size</c> commented "batch size, in sequences, across all devices" (gradient
/// accumulation included) times <c>sequence_length</c> (tokens per sequence); January 2025: <c>batch_size</c> commented "batch size
/// in tokens".</item>
/// </list>
/// Anything else (a script that states neither, a value that is not literal arithmetic, a name assigned two different values) gives
/// no batch. Schedule facts: <c>warmup_iters</c> and <c>warmdown_iters</c> (the 2024 <c>get_lr</c>), <c>cooldown_frac</c> (an
/// assignment, or the default of a <c>def</c> parameter as in <c>set_hparams(step, cooldown_frac=0.7)</c>).
/// </summary>
internal static partial class SpeedrunScript
{
    /// <summary>The facts read; each null where the script does not state it.</summary>
    /// <param name="TokensPerStep">Tokens per optimizer step.</param>
    /// <param name="BatchSource">How <paramref name="TokensPerStep"/> was read, or why there is none, in words (null: nothing found).</param>
    /// <param name="WarmupSteps"><c>warmup_iters</c>.</param>
    /// <param name="CooldownSteps"><c>warmdown_iters</c>.</param>
    /// <param name="CooldownFraction"><c>cooldown_frac</c>.</param>
    internal sealed record Facts(double? TokensPerStep, string? BatchSource, double? WarmupSteps, double? CooldownSteps, double? CooldownFraction);

    // NAME [: TYPE] = EXPR [# COMMENT], indented or not; EXPR (trimmed by the caller) holds no '=' (comparisons, keyword arguments)
    // and no '#'. Linear in the line's length: no two adjacent loops take the same characters (a lazy EXPR followed by \s* was
    // quadratic on a long run of blanks).
    [GeneratedRegex(@"^\s*(?<name>[A-Za-z_]\w*)\s*(?::\s*[A-Za-z_][\w\[\], .]*)?=(?<expr>[^#=]*)(?:#(?<comment>.*))?$")]
    private static partial Regex Assignment();

    [GeneratedRegex(@"^\s*train_loader\s*=\s*distributed_data_generator\([^,]+,\s*(?<b>[^,)]+)")]
    private static partial Regex TrainLoader();

    // The first line of the definition (its parameters may go on over more lines; the second is on the first in every script seen).
    [GeneratedRegex(@"^\s*def\s+distributed_data_generator\((?<params>[^)]*)")]
    private static partial Regex LoaderDef();

    // [0-9], not \d: \d matches any Unicode digit ('٨'), which no number parse takes; the number ends at a word's end ("8٨" is none).
    [GeneratedRegex(@"^\s*assert\s+(?:ddp_)?world_size\s*==\s*(?<n>[0-9]+)\b")]
    private static partial Regex WorldAssert();

    [GeneratedRegex(@"^\s*def\s+\w+\(.*\bcooldown_frac\s*=\s*(?<v>[0-9.eE+-]+)")]
    private static partial Regex CooldownDefault();

    /// <summary>Reads the facts from the lines of the log before its first event line.</summary>
    public static Facts Read(IReadOnlyList<string> code)
    {
        var assigned = new Dictionary<string, List<(string Expr, string Comment)>>(StringComparer.Ordinal);
        double? world = null, cooldownDefault = null;
        string? loaderBatch = null, loaderParameter = null;
        bool sendsBatch = false;
        foreach (string line in code)
        {
            if (line.Contains("train_loader.send(", StringComparison.Ordinal)) sendsBatch = true;
            if (loaderBatch is null && TrainLoader().Match(line) is { Success: true } l) loaderBatch = l.Groups["b"].Value.Trim();
            if (loaderParameter is null && LoaderDef().Match(line) is { Success: true } d && d.Groups["params"].Value.Split(',') is { Length: >= 2 } ps)
                loaderParameter = ps[1].Split(':', '=')[0].Trim(); // the generator's second parameter, which the call's B is
            if (WorldAssert().Match(line) is { Success: true } w && double.TryParse(w.Groups["n"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out double n))
                world = n;
            if (CooldownDefault().Match(line) is { Success: true } c && double.TryParse(c.Groups["v"].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out double f))
                cooldownDefault = f;
            if (Assignment().Match(line) is { Success: true } m)
            {
                string name = m.Groups["name"].Value;
                if (!assigned.TryGetValue(name, out var list)) assigned[name] = list = [];
                list.Add((m.Groups["expr"].Value.Trim(), m.Groups["comment"].Value));
            }
        }
        var eval = new Evaluator(assigned, world);

        double? tokens = null;
        string? source = null;
        if (loaderBatch is not null)
        {
            if (sendsBatch)
            {
                source = "the script changes its batch during the run (train_loader.send): no one batch";
            }
            else if (loaderParameter is not ("batch_size" or "num_tokens"))
            {
                // e.g. July-August 2025: distributed_data_generator(filename_pattern, seq_len, ...) takes each rank's tokens
                source = loaderParameter is null
                    ? "the script's train loader's definition (def distributed_data_generator(FILES, B, ...) on its first line) is not found: its batch is not read"
                    : $"the script's train loader takes '{TextLog.Clip(loaderParameter)}', not the tokens of a step across all devices: its batch is not read";
            }
            else if (eval.Value(loaderBatch) is { } b && b >= 1)
            {
                tokens = b;
                source = $"the script's train loader: distributed_data_generator(..., {loaderBatch}) = {RunAssembly.Fmt(b)} tokens per step";
            }
            else
            {
                source = $"the script's train loader takes '{TextLog.Clip(loaderBatch)}' tokens per step, not a literal the reader can evaluate";
            }
        }
        else if (assigned.TryGetValue("batch_size", out var bs) && bs.Any(a => a.Comment.Contains("in sequences", StringComparison.OrdinalIgnoreCase))
            && eval.Name("batch_size") is { } seqs && eval.Name("sequence_length") is { } len && seqs >= 1 && len >= 1)
        {
            tokens = seqs * len;
            source = $"the script's Hyperparameters: batch_size {RunAssembly.Fmt(seqs)} sequences x sequence_length {RunAssembly.Fmt(len)} = {RunAssembly.Fmt(tokens.Value)} tokens per step";
        }
        else if (assigned.TryGetValue("batch_size", out var bt) && bt.Any(a => a.Comment.Contains("in tokens", StringComparison.OrdinalIgnoreCase))
            && eval.Name("batch_size") is { } t && t >= 1)
        {
            // January 2025 (DistributedDataLoader): batch_size = 8*64*1024 # batch size in tokens
            tokens = t;
            source = $"the script's Hyperparameters: batch_size {RunAssembly.Fmt(t)} (\"batch size in tokens\") tokens per step";
        }
        return new Facts(tokens, source, eval.Name("warmup_iters"), eval.Name("warmdown_iters"), eval.Name("cooldown_frac") ?? cooldownDefault);
    }

    /// <summary>
    /// Literal arithmetic: numbers, + - * / // % **, parentheses, <c>int(...)</c>, and names (<c>args.X</c> as X) whose assignments all
    /// evaluate to one value (assignments that are not literal arithmetic, such as <c>int(os.environ[...])</c>, are passed over);
    /// <c>world_size</c> (<c>ddp_world_size</c>) is the script's <c>assert world_size == N</c> when it has one, whatever it assigns
    /// (a fallback <c>world_size = 1</c> is not the run's). The log is anyone's text, so the work is bounded: an expression of more than
    /// <see cref="MaxExpression"/> characters, nested more than <see cref="MaxNesting"/> deep or reached through more than
    /// <see cref="MaxNames"/> names, and everything after <see cref="MaxEvaluations"/> expressions, has no value (never a deep
    /// recursion, whose stack overflow would end the process); a name's value is computed once (a1 = a0 + a0, ..., a60 = a59 + a59
    /// is 60 evaluations, not 2^60).
    /// </summary>
    private sealed class Evaluator(Dictionary<string, List<(string Expr, string Comment)>> assigned, double? world)
    {
        /// <summary>Longest expression evaluated (the scripts' longest is under 40 characters).</summary>
        internal const int MaxExpression = 200;

        /// <summary>Deepest nesting of parentheses, signs and powers in one expression.</summary>
        internal const int MaxNesting = 32;

        /// <summary>Longest chain of names resolved through one another.</summary>
        internal const int MaxNames = 16;

        /// <summary>Most expressions evaluated for one script.</summary>
        internal const int MaxEvaluations = 10_000;

        private readonly HashSet<string> _active = new(StringComparer.Ordinal);
        private readonly Dictionary<string, double?> _known = new(StringComparer.Ordinal);
        private int _evaluations, _cuts;

        public double? Name(string name)
        {
            if (world is { } n && name is "world_size" or "ddp_world_size") return n;
            if (_known.TryGetValue(name, out double? known)) return known;
            if (_active.Count >= MaxNames || !_active.Add(name)) // too deep, or a cycle
            {
                _cuts++;
                return null;
            }
            int cuts = _cuts;
            double? value = null;
            try
            {
                if (assigned.TryGetValue(name, out var list))
                {
                    foreach (var (expr, _) in list)
                    {
                        if (Value(expr) is not { } v) continue;
                        if (value is { } other && other != v)
                        {
                            value = null; // two values: not one setting
                            break;
                        }
                        value = v;
                    }
                }
            }
            finally
            {
                _active.Remove(name);
            }
            // A value found with a cycle, the chain of names or the evaluations cut short depends on the path it was reached by: not kept.
            if (_cuts == cuts) _known[name] = value;
            return value;
        }

        public double? Value(string expr)
        {
            if (expr.Length > MaxExpression) return null;
            if (++_evaluations > MaxEvaluations)
            {
                _cuts++;
                return null;
            }
            var p = new Parser(expr, this);
            double? v = p.Expression();
            return v is { } x && p.AtEnd && double.IsFinite(x) ? x : null;
        }

        private sealed class Parser(string s, Evaluator names)
        {
            private int _i, _depth;

            public bool AtEnd
            {
                get
                {
                    Skip();
                    return _i == s.Length;
                }
            }

            private void Skip()
            {
                while (_i < s.Length && s[_i] == ' ') _i++;
            }

            private bool Eat(string token)
            {
                Skip();
                if (string.CompareOrdinal(s, _i, token, 0, token.Length) != 0) return false;
                _i += token.Length;
                return true;
            }

            // A null (no value) ends the parse: the rest is not evaluated.
            public double? Expression()
            {
                double? a = Term();
                while (a is { } x)
                {
                    if (Eat("+")) a = Term() is { } y ? x + y : null;
                    else if (Eat("-")) a = Term() is { } y ? x - y : null;
                    else break;
                }
                return a;
            }

            private double? Term()
            {
                double? a = Unary();
                while (a is { } x)
                {
                    if (Eat("*")) a = Unary() is { } y ? x * y : null;
                    else if (Eat("//")) a = Unary() is { } d && d != 0 ? Math.Floor(x / d) : null;
                    else if (Eat("/")) a = Unary() is { } d && d != 0 ? x / d : null;
                    else if (Eat("%")) a = Unary() is { } d && d != 0 ? x - d * Math.Floor(x / d) : null;
                    else break;
                }
                return a;
            }

            // Every nesting (parentheses, int(...), a sign, a power's exponent) comes through here: the depth is counted here.
            private double? Unary()
            {
                if (_depth >= MaxNesting) return null;
                _depth++;
                try
                {
                    return Eat("-") ? -Unary() : Eat("+") ? Unary() : Power();
                }
                finally
                {
                    _depth--;
                }
            }

            private double? Power()
            {
                double? a = Atom();
                return a is not null && Eat("**") ? (Unary() is { } e ? Math.Pow(a.Value, e) : null) : a;
            }

            private double? Atom()
            {
                Skip();
                if (_i >= s.Length) return null;
                if (Eat("("))
                {
                    double? v = Expression();
                    return v is not null && Eat(")") ? v : null;
                }
                char c = s[_i];
                if (char.IsAsciiDigit(c) || c == '.')
                {
                    int start = _i;
                    while (_i < s.Length && (char.IsAsciiDigit(s[_i]) || s[_i] is '.' or '_'
                        || (s[_i] is 'e' or 'E' && _i + 1 < s.Length && (char.IsAsciiDigit(s[_i + 1]) || s[_i + 1] is '+' or '-'))
                        || (s[_i] is '+' or '-' && s[_i - 1] is 'e' or 'E'))) _i++;
                    return double.TryParse(s[start.._i].Replace("_", "", StringComparison.Ordinal), NumberStyles.Float, CultureInfo.InvariantCulture, out double x) ? x : null;
                }
                if (char.IsAsciiLetter(c) || c == '_')
                {
                    int start = _i;
                    while (_i < s.Length && (char.IsAsciiLetterOrDigit(s[_i]) || s[_i] is '_' or '.')) _i++;
                    string name = s[start.._i];
                    if (name == "int")
                    {
                        if (!Eat("(")) return null;
                        double? v = Expression();
                        return v is not null && Eat(")") ? Math.Truncate(v.Value) : null;
                    }
                    if (name.StartsWith("args.", StringComparison.Ordinal)) name = name[5..];
                    return name.Contains('.', StringComparison.Ordinal) ? null : names.Name(name);
                }
                return null;
            }
        }
    }
}
