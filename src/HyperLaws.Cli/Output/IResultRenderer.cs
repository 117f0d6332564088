using System.Text.Json.Nodes;

namespace HyperLaws.Cli.Output;

/// <summary>
/// The renderers of one command's result record, one per output format (as BenchmarkDotNet's exporters: one
/// exporter per format over the same summary): <see cref="ToJson"/> builds the JSON document (serialised by
/// <see cref="Json"/> only, through <see cref="ResultOutput"/>), <see cref="WriteTable"/> prints the console tables.
/// Renderers read the record and never compute: every number they print is in the record.
/// </summary>
/// <typeparam name="TResult">The result record the handler returns.</typeparam>
internal interface IResultRenderer<in TResult>
{
    /// <summary>The result as one JSON object, with the keys documented in docs/SCHEMAS.md.</summary>
    JsonNode ToJson(TResult result);

    /// <summary>The result as console tables and notes on stdout.</summary>
    void WriteTable(CliIo io, TResult result);
}
