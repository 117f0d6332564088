using HyperLaws.Laws;

namespace HyperLaws.Validation;

/// <summary>A size law of protocol 2: how non-offset parameters scale, and the offset's fixed exponent (null: fitted, which needs three or more sizes).</summary>
public sealed record CrossSizeVariant(string Name, SizeScaling Scaling, double? OffsetExponent);
