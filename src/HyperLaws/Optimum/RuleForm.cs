namespace HyperLaws.Optimum;

/// <summary>Form of the fitted rule.</summary>
public enum RuleForm
{
    /// <summary>ln eta* = a + b ln N + c ln D and ln B* = d + e ln N + f ln D.</summary>
    Full,

    /// <summary>Step Law's form: ln eta* = a + b ln N + c ln D and ln B* = d + f ln D (batch independent of N).</summary>
    StepLaw,
}
