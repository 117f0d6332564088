using System.Globalization;
using HyperLaws.Laws.Joint;

namespace HyperLaws.Cli.Commands.Plan;

/// <summary>
/// plan's <c>--joint-noise-power default|1</c>: how a plan fits the joint law's noise (<see cref="HyperLaws.Planning.PlanOptions.Joint"/>).
/// Two values only, those a plan can use as validated: the law's default (both noise powers fitted where the runs identify them, the
/// noise lags' shares at their prior, p = 1 elsewhere: docs/VALIDATION.md "The joint law's lag prior as the default", helper lagdefault)
/// and p = 1 with free lag weights, the law before it (<c>validate --joint-noise-power 1</c>'s settings). validate's other settings
/// ('auto', 'fit', 'peak', other powers) are scoring variants that failed their declared rules, not plan options.
/// </summary>
internal static class JointNoisePowerOption
{
    /// <summary>The option's name.</summary>
    public const string Name = "--joint-noise-power";

    /// <summary>The default value.</summary>
    public const string Default = "default";

    /// <summary>The option's help text.</summary>
    public const string Description = "The joint law's noise power wherever the plan fits the joint law (--laws joint, the LR-axis prior's fit on runs of one peak LR, the loss anchored across peak LR): "
        + "'default' (both noise powers fitted where two or more peak LRs each show a decay, the noise lags' shares at their prior, p = 1 elsewhere; docs/VALIDATION.md \"The joint law's lag prior as the default\") "
        + "or '1' (p = 1 with free lag weights, the law before that default; validate --joint-noise-power 1). "
        + "It changes nothing where the plan fits no joint law in any of these roles (the default laws are optlaw, mpl and tissue: with them only the LR-axis prior's fit and the across-LR anchor's law use it).";

    /// <summary>The joint law's fit options for <paramref name="text"/>: 'default' (any case) or 1; anything else is one line naming the option.</summary>
    public static JointFitOptions Read(string text)
    {
        string t = text.Trim();
        if (string.Equals(t, Default, StringComparison.OrdinalIgnoreCase)) return new JointFitOptions();
        if (double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out double p) && p == 1) return JointFitOptions.PowerOne;
        throw new UserInputException($"{Name}: '{Output.ErrorText.Echo(text)}' is not default or 1 (a plan fits the joint law's noise with its default powers or with p = 1).");
    }
}
