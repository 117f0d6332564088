using System.Text.Json.Nodes;
using HyperLaws.Planning;
using HyperLaws.Runs;

namespace HyperLaws.Cli.Output;

/// <summary>What the readers noticed about the runs (<see cref="RunNote"/>) as plan, rank and predict write it in their JSON ("runNotes").</summary>
internal static class RunNotesJson
{
    /// <summary>
    /// Per note its kind, run, quantities (by name, ordinal order; not finite: null), labels, the reader's words (detail) and the
    /// explainer's sentence (text).
    /// </summary>
    public static JsonArray Of(IEnumerable<RunNote> notes) => new([.. notes.Select(n => (JsonNode)new JsonObject
    {
        ["kind"] = n.Kind.ToString(),
        ["run"] = n.Run,
        ["quantities"] = Json.Quantities(n.Quantities),
        ["labels"] = Json.Strings(n.Labels),
        ["detail"] = n.Detail.Length > 0 ? n.Detail : null,
        ["text"] = PlanExplainer.RunNote(n),
    })]);
}
