using System.Globalization;

namespace HyperLaws.Readers;

/// <summary>
/// An independent evaluator of the schedule specs the readers write, kept to cross-check the core's
/// <c>HyperLaws.Schedules.LrSchedule</c> in the tests (the readers evaluate specs with the core). It knows the compact forms the data sets need, with eta_t for steps t = 1..steps (index 0 = step 1):
/// <list type="bullet">
/// <item>warmup (all forms): eta_t = peak t / warmup for t &lt;= warmup (so eta_warmup = peak);</item>
/// <item><c>constant(peak,warmup,steps)</c>: peak after the warmup;</item>
/// <item><c>cosine(peak,warmup,steps,floor)</c>: floor + (peak - floor)(1 + cos(pi (t - W)/(S - W)))/2;</item>
/// <item><c>linear(peak,warmup,steps,floor)</c>: peak + (floor - peak)(t - W)/(S - W);</item>
/// <item><c>wsd(peak,warmup,steps,cooldownSteps,shape,floor)</c>: peak until D = S - cooldownSteps, then with
/// x = (t - D)/(S - D): <c>exp</c> peak (floor/peak)^x, <c>linear</c>, <c>sqrt</c> floor + (peak - floor)(1 - sqrt x), <c>cosine</c>;</item>
/// <item><c>multistep(peak,warmup,steps,milestones=[m..],values=[v..])</c>: values[j] from step m_j on;</item>
/// <item><c>table(values=[...])</c>: the LRs themselves.</item>
/// </list>
/// </summary>
internal static class ScheduleSpecs
{
    public static double[] Evaluate(string spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var (name, args) = Parse(spec);
        if (name == "table")
        {
            var t = List(args, "values", spec);
            if (t.Length == 0) throw new FormatException($"schedule '{spec}': table has no values.");
            foreach (double v in t) CheckLr(v, spec);
            return t;
        }
        double peak = Num(args, "peak", spec);
        int warmup = (int)Num(args, "warmup", spec, 0);
        int steps = (int)Num(args, "steps", spec);
        double floor = Num(args, "floor", spec, 0);
        CheckLr(peak, spec);
        CheckLr(floor, spec);
        if (steps < 1 || steps > 1_000_000_000) throw new FormatException($"schedule '{spec}': steps must be in 1..1e9.");
        if (warmup < 0 || warmup > steps) throw new FormatException($"schedule '{spec}': warmup must be in 0..steps.");
        Func<int, double> after;
        switch (name)
        {
            case "constant":
                after = _ => peak;
                break;
            case "cosine":
                after = t => floor + (peak - floor) * 0.5 * (1 + Math.Cos(Math.PI * (t - warmup) / (steps - warmup)));
                break;
            case "linear":
                after = t => peak + (floor - peak) * (t - warmup) / (double)(steps - warmup);
                break;
            case "wsd":
            {
                int cool = (int)Num(args, "cooldownSteps", spec);
                if (cool < 1 || cool > steps - warmup) throw new FormatException($"schedule '{spec}': cooldownSteps must be in 1..steps-warmup.");
                string shape = args.TryGetValue("shape", out var sh) ? sh : "linear";
                int d = steps - cool;
                Func<double, double> decay = shape switch
                {
                    "exp" when floor > 0 => x => peak * Math.Pow(floor / peak, x),
                    "exp" => throw new FormatException($"schedule '{spec}': an exp cooldown needs floor > 0."),
                    "linear" => x => peak + (floor - peak) * x,
                    "sqrt" => x => floor + (peak - floor) * (1 - Math.Sqrt(x)),
                    "cosine" => x => floor + (peak - floor) * 0.5 * (1 + Math.Cos(Math.PI * x)),
                    _ => throw new FormatException($"schedule '{spec}': unknown cooldown shape '{shape}' (exp, linear, sqrt, cosine)."),
                };
                after = t => t < d ? peak : decay((t - d) / (double)cool);
                break;
            }
            case "multistep":
            {
                var ms = List(args, "milestones", spec);
                var vs = List(args, "values", spec);
                if (ms.Length != vs.Length) throw new FormatException($"schedule '{spec}': milestones and values differ in length.");
                for (int j = 1; j < ms.Length; j++)
                    if (ms[j] <= ms[j - 1]) throw new FormatException($"schedule '{spec}': milestones must increase.");
                foreach (double v in vs) CheckLr(v, spec);
                after = t =>
                {
                    double v = peak;
                    for (int j = 0; j < ms.Length; j++) if (t >= ms[j]) v = vs[j];
                    return v;
                };
                break;
            }
            default:
                throw new FormatException($"schedule '{spec}': unknown schedule '{name}' (constant, cosine, linear, wsd, multistep, table).");
        }
        var lrs = new double[steps];
        for (int t = 1; t <= steps; t++) lrs[t - 1] = t <= warmup ? peak * t / warmup : after(t);
        return lrs;
    }

    private static void CheckLr(double v, string spec)
    {
        if (!double.IsFinite(v) || v < 0) throw new FormatException($"schedule '{spec}': learning rate {v} must be finite and >= 0.");
    }

    private static (string Name, Dictionary<string, string> Args) Parse(string spec)
    {
        string s = spec.Trim();
        int open = s.IndexOf('(');
        if (open <= 0 || !s.EndsWith(')')) throw new FormatException($"schedule '{spec}': expected name(key=value,...).");
        string name = s[..open].Trim().ToLowerInvariant();
        string body = s[(open + 1)..^1];
        var args = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        int depth = 0, start = 0;
        for (int i = 0; i <= body.Length; i++)
        {
            if (i < body.Length && body[i] == '[') depth++;
            else if (i < body.Length && body[i] == ']') depth--;
            else if (i == body.Length || (body[i] == ',' && depth == 0))
            {
                string part = body[start..i].Trim();
                start = i + 1;
                if (part.Length == 0) continue;
                int eq = part.IndexOf('=');
                if (eq <= 0) throw new FormatException($"schedule '{spec}': '{part}' is not key=value.");
                args[part[..eq].Trim()] = part[(eq + 1)..].Trim();
            }
        }
        return (name, args);
    }

    private static double Num(Dictionary<string, string> args, string key, string spec, double? fallback = null)
    {
        if (!args.TryGetValue(key, out var v))
            return fallback ?? throw new FormatException($"schedule '{spec}': missing '{key}'.");
        if (!double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out double x) || !double.IsFinite(x))
            throw new FormatException($"schedule '{spec}': '{key}={v}' is not a number.");
        return x;
    }

    private static double[] List(Dictionary<string, string> args, string key, string spec)
    {
        if (!args.TryGetValue(key, out var v)) throw new FormatException($"schedule '{spec}': missing '{key}'.");
        v = v.Trim();
        if (!v.StartsWith('[') || !v.EndsWith(']')) throw new FormatException($"schedule '{spec}': '{key}' must be a list [a,b,...].");
        var items = v[1..^1].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var r = new double[items.Length];
        for (int i = 0; i < items.Length; i++)
            if (!double.TryParse(items[i], NumberStyles.Float, CultureInfo.InvariantCulture, out r[i]))
                throw new FormatException($"schedule '{spec}': '{items[i]}' in '{key}' is not a number.");
        return r;
    }
}
