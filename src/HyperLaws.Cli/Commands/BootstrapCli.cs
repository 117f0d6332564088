using HyperLaws.Laws;
using System.CommandLine;
using System.Globalization;
using System.CommandLine.Parsing;
using System.Text.Json.Nodes;
using HyperLaws.Cli.Options;
using HyperLaws.Cli.Output;
using HyperLaws.Fitting;
using Spectre.Console;

namespace HyperLaws.Cli.Commands;

/// <summary>The bootstrap options of <c>hyperlaws fit</c> (and of interval validation), its progress and its output.</summary>
internal static class BootstrapCli
{
    public static Option<int?> Replicates(string description = "Bootstrap the fit with N refits of resampled data; LAW.json keeps the samples for prediction intervals.") =>
        Positive(new Option<int?>("--bootstrap") { Description = description, HelpName = "N" });

    public static Option<string> Scheme()
    {
        var names = Enum.GetValues<BootstrapScheme>().Select(LawBootstrap.SchemeName).ToArray();
        var option = new Option<string>("--bootstrap-scheme")
        {
            Description = "What to resample: runs (whole curves; needs 4 or more), blocks (points in circular blocks of ceil(n^(1/3)) within each curve) or residuals; default runs with 4 or more curves, blocks otherwise.",
            HelpName = string.Join('|', names),
        };
        CliOptions.AcceptOnly(option, names);
        return option;
    }

    public static Option<int?> Seed() => new("--seed")
    {
        Description = $"Seed of the bootstrap's resampling (default {BootstrapOptions.DefaultSeed}); the same seed gives the same samples.",
        HelpName = "S",
    };

    /// <summary>A level strictly between 0 and 1.</summary>
    public static Option<double?> Level(string description) => new("--level")
    {
        Description = description,
        HelpName = "A",
        CustomParser = result =>
        {
            string text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
            if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double a) && a > 0 && a < 1) return a;
            result.AddError($"--level: '{text}' is not a number between 0 and 1 (e.g. 0.9).");
            return null;
        },
    };

    private static Option<int?> Positive(Option<int?> option)
    {
        option.CustomParser = result =>
        {
            string text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
            // One replicate has no spread (LawBootstrap refuses fewer than two fitted samples, after fitting): refuse it here.
            if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int n) && n >= 2) return n;
            result.AddError($"{option.Name}: '{text}' is not a whole number of replicates of at least 2 (an interval needs a spread; e.g. 200).");
            return null;
        };
        return option;
    }

    /// <summary>The bootstrap's other options make sense only with --bootstrap.</summary>
    public static Action<CommandResult> NeedsReplicates(Option<int?> replicates, params Option[] others) => result =>
    {
        if (result.GetResult(replicates) is not null) return;
        foreach (var o in others)
            if (result.GetResult(o) is { Implicit: false })
            {
                result.AddError($"{o.Name} needs --bootstrap N.");
                return;
            }
    };

    public static BootstrapOptions From(ParseResult r, int replicates, Option<string> scheme, Option<int?> seed, Option<double?> level) =>
        From(replicates, r.GetValue(scheme), r.GetValue(seed), r.GetValue(level));

    /// <summary>The bootstrap's options from typed values: the scheme parsed by name, the seed and level defaulted.</summary>
    public static BootstrapOptions From(int replicates, string? scheme, int? seed, double? level) => new()
    {
        Replicates = replicates,
        Scheme = scheme is { } name ? LawBootstrap.ParseScheme(name) : null,
        Seed = seed ?? BootstrapOptions.DefaultSeed,
        Level = level ?? 0.9,
    };

    /// <summary>Runs the bootstrap with progress on stderr (about every tenth of the replicates) unless quiet.</summary>
    public static BootstrapResult Run(CliIo io, IFittableLaw law, IReadOnlyList<FitTarget> targets, IdentifiedFit fit, BootstrapOptions options, bool quiet)
    {
        var scheme = options.Scheme ?? LawBootstrap.DefaultScheme(targets.Count);
        var started = System.Diagnostics.Stopwatch.StartNew();
        int every = Math.Max(1, options.Replicates / 10);
        if (!quiet) io.Err.WriteLine($"bootstrap: {options.Replicates} {LawBootstrap.SchemeName(scheme)} replicates of {law.Name} (seed {options.Seed}) ...");
        Action<int>? progress = quiet ? null : done =>
        {
            if (done % every == 0 || done == options.Replicates)
                io.Err.WriteLine(FormattableString.Invariant($"bootstrap: {done}/{options.Replicates} replicates ({started.Elapsed.TotalSeconds:F1} s)"));
        };
        var result = UserInputException.Guard(() => IdentifiedFitter.Bootstrap(law, targets, fit, options, progress));
        if (!quiet && result.Failed > 0) io.Err.WriteLine($"note: {result.Failed} of {options.Replicates} bootstrap replicates failed to fit and are left out");
        return result;
    }

    public static JsonObject ToJson(BootstrapResult result)
    {
        var b = result.Bootstrap;
        var parameters = new JsonObject();
        foreach (var p in result.Parameters)
            parameters[p.Name] = new JsonObject
            {
                ["estimate"] = Json.Number(p.Estimate),
                ["median"] = Json.Number(p.Median),
                ["standardError"] = Json.Number(p.StandardError),
                ["lower"] = Json.Number(p.Lower),
                ["upper"] = Json.Number(p.Upper),
            };
        var node = new JsonObject
        {
            ["scheme"] = LawBootstrap.SchemeName(b.Scheme),
            ["replicates"] = b.Replicates,
            ["failed"] = b.Failed,
            ["unconverged"] = result.Unconverged,
            ["seed"] = b.Seed,
            ["level"] = b.Level,
            ["parameters"] = parameters,
        };
        return node;
    }

    /// <summary>Columns: value, median, standard error, and the interval's ends.</summary>
    public static void AddColumns(Table table, BootstrapResult result)
    {
        string pct = Format.Percent(result.Bootstrap.Level, 0);
        table.AddColumn(new TableColumn("median").RightAligned()).AddColumn(new TableColumn("std. error").RightAligned())
            .AddColumn(new TableColumn($"{pct} lower").RightAligned()).AddColumn(new TableColumn($"{pct} upper").RightAligned());
        foreach (var p in result.Parameters)
            table.AddRow(Markup.Escape(p.Name), Format.G(p.Estimate, 6), Format.G(p.Median, 6), Format.G(p.StandardError, 3), Format.G(p.Lower, 6), Format.G(p.Upper, 6));
    }

    public static string Describe(BootstrapResult result)
    {
        var b = result.Bootstrap;
        return $"{Format.Percent(b.Level, 0)} percentile intervals from {b.Samples.Count} of {b.Replicates} {LawBootstrap.SchemeName(b.Scheme)}-bootstrap replicates (seed {b.Seed}; {b.Failed} failed"
            + (result.Unconverged > 0 ? $", {result.Unconverged} stopped at the iteration cap" : "") + ")";
    }
}
