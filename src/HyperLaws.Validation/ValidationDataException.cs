namespace HyperLaws.Validation;

/// <summary>The data folder given to a protocol lacks a file it needs or holds one that cannot be read; the message names the file.</summary>
public sealed class ValidationDataException(string message) : Exception(message);
