using System.Collections;
using System.Globalization;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using HyperLaws.Laws;
using HyperLaws.Laws.Joint;

namespace HyperLaws.Fitting;

/// <summary>
/// The key of a fit in an <see cref="IFitCache"/>: SHA-256 (hex) over
/// (1) this build of the numerical core (its module version id: the SDK's deterministic builds change it exactly when the
///     core's code changes, so a new fitter never reads an old fit);
/// (2) the law: its type, name, parameter names and every public property of a simple type (numbers bit for bit, strings,
///     enums, lists of them, records by their text), laws inside it (e.g. <see cref="SizedLaw"/>'s) the same way;
/// (3) the fit options, every one that can change the fit (not the bit-for-bit ones: FusedTrials, ShareEqualCurves, ParallelProbes, EarlyReject, SkipStillTrials;
///     not the diagnostics-only Trace;
///     the point budget only when a curve exceeds it);
/// (4) every curve: its model size, observed steps and losses bit for bit, and every step's learning rate.
/// Names of curves are left out (they do not change a fit). A law whose behaviour depends on private state its public
/// properties do not show would need its own key: every law of <see cref="LawCatalog"/> is set by its public properties.
/// </summary>
public static class FitCacheKey
{
    private const string Version = "hyperlaws fit cache 1";

    /// <summary>The key of fitting <paramref name="law"/> on <paramref name="targets"/> with <paramref name="options"/> (see the type's remarks: what enters it and what does not).</summary>
    public static string Of(IFittableLaw law, IReadOnlyList<FitTarget> targets, FitOptions options)
    {
        ArgumentNullException.ThrowIfNull(law);
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentNullException.ThrowIfNull(options);
        using var hash = Start();
        Law(hash, law, depth: 0);
        Number(hash, options.HuberDelta);
        Int(hash, options.MaxIterations);
        Int(hash, options.ProbeIterations);
        Number(hash, options.RelativeTolerance);
        // The flat-ridge stop (FitOptions.RidgeTolerance), and its window when it is on.
        Number(hash, options.RidgeTolerance);
        if (options.RidgeTolerance > 0) Int(hash, options.RidgeWindow);
        // The point budget as it acts: int.MaxValue (the default's value) when no curve exceeds it, so a fit of curves within any budget
        // keeps the key it had without one (the plan's default budget of 2,000 hits the fits cached before it).
        Int(hash, targets.Any(t => t.Steps.Length > options.MaxPointsPerCurve) ? options.MaxPointsPerCurve : int.MaxValue);
        Int(hash, options.VariableProjection ? 1 : 0);
        Int(hash, options.EffectiveCurveSubset(law));   // the first fit on a subset of many curves (FitOptions.CurveSubset)
        Int(hash, options.EffectiveCoarsePoints(law));   // the first fit on thinned points (FitOptions.CoarsePoints)
        // The coarse stage's budget over all distinct curves' points (FitOptions.CoarseTotalPoints) only where on, so other keys are as before.
        if (options.EffectiveCoarseTotalPoints != 0)
        {
            Text(hash, nameof(FitOptions.CoarseTotalPoints));
            Int(hash, options.EffectiveCoarseTotalPoints);
            if (options.EffectiveCoarseRidgeTolerance > 0) Number(hash, options.EffectiveCoarseRidgeTolerance);
        }
        // The subset stage's thinning and the tolerance of the run on all curves after it (FitOptions.SubsetEvery, PolishTolerance),
        // only where they differ from every point and RelativeTolerance, so the keys of other fits are as before.
        if (options.EffectiveSubsetEvery != 1) Int(hash, options.EffectiveSubsetEvery);
        if (options.EffectivePolishTolerance(law) != options.RelativeTolerance) Number(hash, options.EffectivePolishTolerance(law));
        // The starts' probes on a few curves (FitOptions.ProbeSubset, off by default for every law) only where on, so the keys of the
        // fits without it are as before.
        if (options.EffectiveProbeSubset != 0)
        {
            Text(hash, nameof(FitOptions.ProbeSubset));
            Int(hash, options.EffectiveProbeSubset);
        }
        Int(hash, options.UseLawStartingPoints ? 1 : 0);
        // The full multi-start (FitOptions.ConvergeEveryStart) only when on, so the keys of the default fits are as before.
        if (options.ConvergeEveryStart) Text(hash, nameof(FitOptions.ConvergeEveryStart));
        Int(hash, options.Starts.Count);
        foreach (var start in options.Starts) Numbers(hash, start);
        Int(hash, targets.Count);
        foreach (var t in targets)
        {
            Number(hash, t.ModelSize);
            Observations(hash, t.Steps, t.Loss, t.History);
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>
    /// The key of a joint-law fit (<see cref="JointLawFitter.Fit"/>): the same header, the options' public properties (the LR
    /// axis held fixed included) and every curve's history, observed steps and losses, size, batch, stride and group, bit for bit.
    /// </summary>
    public static string Of(IReadOnlyList<JointCurve> curves, JointFitOptions options)
    {
        ArgumentNullException.ThrowIfNull(curves);
        ArgumentNullException.ThrowIfNull(options);
        using var hash = Start();
        Text(hash, nameof(JointLawFitter));
        Law(hash, options, depth: 0);
        Int(hash, curves.Count);
        foreach (var c in curves)
        {
            Number(hash, c.ModelSize);
            Number(hash, c.BatchTokens);
            Int(hash, c.Stride);
            Text(hash, c.Group ?? "null");
            Observations(hash, c.Steps, c.Loss, c.History);
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>A hash that starts with the key's version and the core build (any change to the core's code is a new key).</summary>
    private static IncrementalHash Start()
    {
        var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Text(hash, Version);
        Text(hash, typeof(FitCacheKey).Assembly.ManifestModule.ModuleVersionId.ToString());
        return hash;
    }

    private static void Law(IncrementalHash hash, object law, int depth)
    {
        var type = law.GetType();
        Text(hash, type.FullName ?? type.Name);
        if (law is ILossLaw l)
        {
            Text(hash, l.Name);
            foreach (var name in l.ParameterNames) Text(hash, name);
        }
        if (depth > 4) return;
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).OrderBy(p => p.Name, StringComparer.Ordinal))
        {
            if (property.GetIndexParameters().Length > 0 || !property.CanRead) continue;
            Text(hash, property.Name);
            Value(hash, property.GetValue(law), depth);
        }
    }

    private static void Value(IncrementalHash hash, object? value, int depth)
    {
        switch (value)
        {
            case null: Text(hash, "null"); break;
            case double d: Number(hash, d); break;
            case string s: Text(hash, s); break;
            case int or long or bool or Enum: Text(hash, Convert.ToString(value, CultureInfo.InvariantCulture)!); break;
            case ILossLaw inner: Law(hash, inner, depth + 1); break;
            case IEnumerable items:
                int n = 0;
                foreach (var item in items) { Value(hash, item, depth); n++; }
                Int(hash, n);
                break;
            case var record when record.GetType().GetMethod("<Clone>$") is not null:
                // Records by their public properties (as a law's), so a collection inside one (e.g. JointFitOptions.NoisePowers)
                // enters by its items and not by its type's name, which is all a record's ToString prints of it.
                Law(hash, record, depth + 1);
                break;
            default:
                // Value types print their members; other types only their name.
                var type = value.GetType();
                Text(hash, type.GetMethod("<Clone>$") is not null || type.IsValueType ? Convert.ToString(value, CultureInfo.InvariantCulture) ?? "" : type.FullName ?? type.Name);
                break;
        }
    }

    /// <summary>A curve's observed steps and losses and every step's LR, bit for bit.</summary>
    private static void Observations(IncrementalHash hash, int[] steps, double[] loss, ScheduleHistory history)
    {
        Int(hash, steps.Length);
        hash.AppendData(System.Runtime.InteropServices.MemoryMarshal.AsBytes(steps.AsSpan()));
        Numbers(hash, loss);
        Int(hash, history.Steps);
        hash.AppendData(System.Runtime.InteropServices.MemoryMarshal.AsBytes(history.EtaSpan));
    }

    private static void Text(IncrementalHash hash, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        Int(hash, bytes.Length);
        hash.AppendData(bytes);
    }

    private static void Int(IncrementalHash hash, int value) => hash.AppendData(BitConverter.GetBytes(value));

    private static void Number(IncrementalHash hash, double value) => hash.AppendData(BitConverter.GetBytes(value));

    private static void Numbers(IncrementalHash hash, double[] values)
    {
        Int(hash, values.Length);
        hash.AppendData(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()));
    }
}
