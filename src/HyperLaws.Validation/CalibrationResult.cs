namespace HyperLaws.Validation;

/// <summary>Calibration of prediction intervals at one size, per law.</summary>
public sealed record CalibrationResult(string Size, double Level, IReadOnlyList<LawCalibration> Laws);
