namespace HyperLaws.Schedules;

/// <summary>The neutral tree both spec forms parse into and print from: a family and its fields in order.</summary>
internal sealed record SpecNode(string Family, IReadOnlyList<KeyValuePair<string, SpecValue>> Fields);
