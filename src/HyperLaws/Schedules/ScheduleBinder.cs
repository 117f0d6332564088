namespace HyperLaws.Schedules;

/// <summary>Builds a schedule from a parsed spec node, turning every field problem into a <see cref="ScheduleSpecException"/>.</summary>
internal static class ScheduleBinder
{
    public static readonly string[] Families = [.. ScheduleFamily.All.Select(f => f.Name)];

    private static readonly string[] Common = ["peak", "steps", "warmup", "warmupShape", "warmupInit", "offset"];

    private static readonly (string, CooldownShape)[] Shapes =
        [("linear", CooldownShape.Linear), ("sqrt", CooldownShape.Sqrt), ("1-sqrt", CooldownShape.Sqrt), ("cosine", CooldownShape.Cosine), ("exp", CooldownShape.Exp)];

    public static LrSchedule Bind(SpecNode node)
    {
        if (!ScheduleFamily.TryParse(node.Family.ToLowerInvariant(), out var family))
            throw new ScheduleSpecException($"unknown family '{node.Family}' (known: {string.Join(", ", Families)})");
        var r = new FieldReader(family.Name, node);
        r.Finish(KnownFields[family]);
        try
        {
            return family switch
            {
                _ when family == ScheduleFamily.Constant => Constant(r),
                _ when family == ScheduleFamily.Linear => Linear(r),
                _ when family == ScheduleFamily.Cosine => Cosine(r),
                _ when family == ScheduleFamily.Wsd => Wsd(r),
                _ when family == ScheduleFamily.MultiStep => MultiStep(r),
                _ when family == ScheduleFamily.InvSqrt => InvSqrt(r),
                _ when family == ScheduleFamily.FourPhase => FourPhase(r),
                _ when family == ScheduleFamily.Table => Table(r),
                _ => Continued(r),
            };
        }
        catch (ArgumentException e)
        {
            throw new ScheduleSpecException(e.Message.Split(" (Parameter '")[0], e);
        }
    }

    private static readonly Dictionary<ScheduleFamily, string[]> KnownFields = new()
    {
        [ScheduleFamily.Constant] = Known(),
        [ScheduleFamily.Linear] = Known("floor"),
        [ScheduleFamily.Cosine] = Known("floor"),
        [ScheduleFamily.Wsd] = Known("cooldown", "cooldownSteps", "shape", "floor"),
        [ScheduleFamily.MultiStep] = Known("milestones", "values", "factor"),
        [ScheduleFamily.InvSqrt] = Known("timescale"),
        [ScheduleFamily.FourPhase] = Known("warmupFraction", "decayEnd", "decayTo", "cooldown", "floor", "decayShape", "shape"),
        [ScheduleFamily.Table] = ["values", "file", "column", "warmup"],
        [ScheduleFamily.Continued] = ["previous", "next", "rewarmFrom"],
    };

    private sealed record CommonFields(double Peak, int Steps, int Warmup, WarmupShape Shape, double Init, int Offset);

    private static CommonFields ReadCommon(FieldReader r, int? warmup = null) => new(
        r.Number("peak"),
        r.Integer("steps", 1, LrSchedule.MaxSteps),
        warmup ?? r.Integer("warmup", 0, LrSchedule.MaxSteps, 0),
        r.Choice("warmupShape", WarmupShape.Linear, ("linear", WarmupShape.Linear), ("cosine", WarmupShape.Cosine)),
        r.Number("warmupInit", 0),
        r.Integer("offset", 0, LrSchedule.MaxSteps, 0));

    private static string[] Known(params string[] extra) => [.. Common, .. extra];

    private static LrSchedule Constant(FieldReader r)
    {
        var c = ReadCommon(r);
        return new ConstantSchedule(c.Peak, c.Steps, c.Warmup, c.Shape, c.Init, c.Offset);
    }

    private static LrSchedule Linear(FieldReader r)
    {
        var c = ReadCommon(r);
        double floor = r.Number("floor", 0);
        return new LinearSchedule(c.Peak, c.Steps, c.Warmup, floor, c.Shape, c.Init, c.Offset);
    }

    private static LrSchedule Cosine(FieldReader r)
    {
        var c = ReadCommon(r);
        double floor = r.Number("floor", 0);
        return new CosineSchedule(c.Peak, c.Steps, c.Warmup, floor, c.Shape, c.Init, c.Offset);
    }

    private static LrSchedule Wsd(FieldReader r)
    {
        var c = ReadCommon(r);
        double? fraction = r.OptionalNumber("cooldown");
        int? steps = r.OptionalInteger("cooldownSteps", 1, LrSchedule.MaxSteps);
        if (fraction is null && steps is null) throw r.Missing("cooldown");
        if (fraction is not null && steps is not null) throw r.Error("cooldownSteps", "cannot be given together with 'cooldown'");
        var shape = r.Choice("shape", CooldownShape.Linear, Shapes);
        double floor = r.Number("floor", 0);
        return new WsdSchedule(c.Peak, c.Steps, c.Warmup, fraction, steps, shape, floor, c.Shape, c.Init, c.Offset);
    }

    private static LrSchedule MultiStep(FieldReader r)
    {
        var c = ReadCommon(r);
        int[] milestones = r.IntegerList("milestones", 1, LrSchedule.MaxSteps) ?? throw r.Missing("milestones");
        double[]? values = r.NumberList("values");
        double? factor = r.OptionalNumber("factor");
        if (values is null && factor is null) throw r.Missing("values");
        if (values is not null && factor is not null) throw r.Error("factor", "cannot be given together with 'values'");
        return new MultiStepSchedule(c.Peak, c.Steps, milestones, values, factor, c.Warmup, c.Shape, c.Init, c.Offset);
    }

    private static LrSchedule InvSqrt(FieldReader r)
    {
        var c = ReadCommon(r);
        double? timescale = r.OptionalNumber("timescale");
        return new InverseSqrtSchedule(c.Peak, c.Steps, c.Warmup, timescale, c.Shape, c.Init, c.Offset);
    }

    private static LrSchedule FourPhase(FieldReader r)
    {
        int? warmup = null;
        if (r.OptionalNumber("warmupFraction") is { } ra)
        {
            if (r.Has("warmup")) throw r.Error("warmupFraction", "cannot be given together with 'warmup'");
            if (ra < 0 || ra > 1) throw r.Error("warmupFraction", $"must be in [0, 1] (got {ScheduleChecks.Show(ra)})");
            warmup = (int)Math.Round(ra * r.Integer("steps", 1, LrSchedule.MaxSteps), MidpointRounding.AwayFromZero);
        }
        var c = ReadCommon(r, warmup);
        double decayEnd = r.Number("decayEnd"), decayTo = r.Number("decayTo"), cooldown = r.Number("cooldown");
        double floor = r.Number("floor", 0);
        var decayShape = r.Choice("decayShape", CooldownShape.Cosine, ("cosine", CooldownShape.Cosine), ("linear", CooldownShape.Linear));
        var shape = r.Choice("shape", CooldownShape.Linear, Shapes);
        return new FourPhaseSchedule(c.Peak, c.Steps, decayEnd, decayTo, cooldown, c.Warmup, floor, decayShape, shape, c.Shape, c.Init, c.Offset);
    }

    private static LrSchedule Table(FieldReader r)
    {
        double[]? values = r.NumberList("values");
        string? file = r.Word("file"), column = r.Word("column");
        int warmup = r.Integer("warmup", 0, LrSchedule.MaxSteps, 0);
        if (values is not null)
        {
            if (file is not null) throw r.Error("file", "cannot be given together with 'values'");
            if (column is not null) throw r.Error("column", "needs 'file'");
            return new TableSchedule(values, warmup);
        }
        if (file is null) throw r.Missing("values");
        try
        {
            return TableSchedule.FromFile(file, column, warmup);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            throw new ScheduleSpecException($"table: field 'file' could not be read: {e.Message}", e);
        }
    }

    private static LrSchedule Continued(FieldReader r)
    {
        LrSchedule previous = Nested(r, "previous", allowList: true);
        LrSchedule next = Nested(r, "next", allowList: false);
        var rewarm = r.Choice("rewarmFrom", RewarmFrom.Zero, ("zero", RewarmFrom.Zero), ("current", RewarmFrom.Current));
        return new ContinuedSchedule(previous, next, rewarm);
    }

    private static LrSchedule Nested(FieldReader r, string name, bool allowList)
    {
        switch (r.Raw(name))
        {
            case null: throw r.Missing(name);
            case SpecValue.Nested n:
                try
                {
                    return Bind(n.Node);
                }
                catch (ScheduleSpecException e)
                {
                    throw new ScheduleSpecException($"{r.Family}: field '{name}': {e.Message}", e);
                }
            case SpecValue.List when allowList:
                return new TableSchedule(r.NumberList(name)!);
            default:
                throw r.Error(name, allowList ? "must be a schedule such as cosine(...) or a list of LRs" : "must be a schedule such as cosine(...)");
        }
    }
}
