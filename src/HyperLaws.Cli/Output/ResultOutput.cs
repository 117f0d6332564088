using System.Text.Json.Nodes;

namespace HyperLaws.Cli.Output;

/// <summary>
/// The one place a command's result reaches stdout or a JSON file: as JSON (the renderer's document, serialised by
/// <see cref="Json.Serialize"/>) or as tables (the renderer's <see cref="IResultRenderer{TResult}.WriteTable"/>).
/// </summary>
internal static class ResultOutput
{
    /// <summary>Writes <paramref name="result"/> to stdout: one JSON object when <paramref name="json"/>, else its tables.</summary>
    public static void Write<TResult>(CliIo io, TResult result, IResultRenderer<TResult> renderer, bool json)
    {
        if (json) WriteJson(io, renderer.ToJson(result));
        else renderer.WriteTable(io, result);
    }

    /// <summary>Writes one JSON document to stdout (indented, one trailing newline).</summary>
    public static void WriteJson(CliIo io, JsonNode document) => io.Out.WriteLine(Json.Serialize(document));

    /// <summary>The text of one JSON document as <see cref="WriteJsonFile"/> writes it (for files staged together, e.g. a sweep's folder).</summary>
    public static string JsonText(JsonNode document) => Json.Serialize(document);

    /// <summary>Writes <paramref name="document"/> to stdout when <paramref name="json"/>, else runs <paramref name="table"/>; the document is built only when printed.</summary>
    public static void Write(CliIo io, bool json, Func<JsonNode> document, Action table)
    {
        if (json) WriteJson(io, document());
        else table();
    }

    /// <summary>Writes one JSON document to a file, atomically (<see cref="Files.WriteAtomic"/>); I/O failures are user errors naming the path.</summary>
    public static void WriteJsonFile(string path, JsonNode document) => Files.WriteAtomic(path, Json.Serialize(document));
}
