namespace HyperLaws.Cli.Commands.Validate;

/// <summary>
/// What one run of <c>hyperlaws validate</c> returns: the protocol's result records from HyperLaws.Validation, with
/// what the renderers need besides (the sizes asked for, the interval level). <see cref="ValidateHandler"/> builds it,
/// <see cref="ValidateRenderer"/> prints it (tables or JSON); nothing is printed while a protocol runs.
/// </summary>
/// <param name="Protocol">The protocol number of docs/VALIDATION.md (the <c>protocol</c> key of the JSON).</param>
internal abstract record ValidateResult(int Protocol);
