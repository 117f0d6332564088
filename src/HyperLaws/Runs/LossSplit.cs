namespace HyperLaws.Runs;

/// <summary>Which loss a value is: training loss or held-out (validation) loss.</summary>
public enum LossSplit
{
    Train,
    Validation,
}
