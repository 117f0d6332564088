namespace HyperLaws.Runs;

/// <summary>Which loss a value is: training loss or held-out (validation) loss.</summary>
public enum LossSplit
{
    /// <summary>Training loss, as logged during training.</summary>
    Train,
    /// <summary>Held-out (validation) loss.</summary>
    Validation,
}
