using HyperLaws.Fitting;

namespace HyperLaws.Validation;

/// <summary>One law's calibration at one size: in-sample (training curves) and held-out (test curves) coverage, and the bootstrap's wall time.</summary>
public sealed record LawCalibration(string Law, BootstrapScheme Scheme, int Replicates, int Failed, double Level, CoverageSummary Train, CoverageSummary Test, IReadOnlyList<CurveCalibration> TestCurves, double Seconds);
