using HyperLaws.Readers.Tests;

namespace HyperLaws.Cli.Tests.Commands;

using Xunit;
using static WandbFraming;

/// <summary>
/// A W&amp;B run file with a torn tail (a run still being written when it was copied: its last record cut short, no exit record) given to
/// every command that reads runs: each says it as import, fit and compare do, one line naming the file and the offset (on stderr
/// unless --json or --quiet; rank in its warnings, on stderr and in --json's warnings[]). The file is written here, framed as
/// W&amp;B's writer frames it (<see cref="WandbFraming"/>): a run record and 40 history rows of <c>_step</c>, <c>loss</c> and <c>lr</c>,
/// then a 41st row cut 3 bytes short.
/// </summary>
public sealed class TornTailNoteTests
{
    private const string TissueParameters = "\"parameters\":{\"L0\":3.15,\"A\":0.51,\"alpha\":0.51,\"C\":0.40}";
    private const string TissueLaw = """{"format":"hyperlaws-law","version":1,"law":"tissue",""" + TissueParameters + "}";

    [Fact]
    public void Plan_says_the_torn_tail_on_stderr_but_not_with_json()
    {
        using var tmp = new TempDir();
        var (file, tornAt) = TornRun(tmp);
        // A warmup longer than the plan is refused before any fit: what the runs' reading printed is all there is on stderr.
        string[] args = ["plan", "--runs", file, "--params", "10M", "--tokens", "1B", "--warmup", "5000000", "--no-lr-prior", "--no-divergence", "--out", tmp.Combine("plan")];
        var r = Cli.Run(args);
        Assert.Equal(2, r.ExitCode);
        var lines = r.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        string note = Assert.Single(lines, l => l.Contains("torn tail", StringComparison.Ordinal));
        Assert.StartsWith($"note: {file}: read up to its torn tail (the file ends inside a chunk (", note, StringComparison.Ordinal);
        Assert.Contains($" at offset {tornAt}: ", note, StringComparison.Ordinal);
        Assert.Contains(lines, l => l.StartsWith("hyperlaws: error: --warmup: ", StringComparison.Ordinal));
        var json = Cli.Run([.. args, "--json"]);
        Assert.Equal(2, json.ExitCode);
        Assert.DoesNotContain("torn tail", json.Stderr, StringComparison.Ordinal);
        Assert.Contains("--warmup: ", json.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Rank_with_a_law_warns_of_the_torn_tail_on_stderr_and_in_its_json()
    {
        using var tmp = new TempDir();
        var (file, tornAt) = TornRun(tmp);
        string law = tmp.File("law.json", TissueLaw);
        string[] args = ["rank", "--law", law, "--runs", file, "--steps", "1000", "--families", "constant", "--peaks", "1e-3", "--warmups", "0"];
        var r = Cli.Run(args);
        Assert.Equal(0, r.ExitCode);
        Assert.Contains($"warning: {file}: read up to its torn tail (", r.Stderr, StringComparison.Ordinal);
        var json = Cli.Run([.. args, "--json"]).Json();
        var warnings = json["warnings"]!.AsArray().Select(w => w!.GetValue<string>()).ToList();
        Assert.Contains(warnings, w => w.StartsWith($"{file}: read up to its torn tail (", StringComparison.Ordinal) && w.Contains($" at offset {tornAt}: ", StringComparison.Ordinal));
        // The same note as data: its kind, run and offset, the warning's words as its text.
        var note = Assert.Single(json["runNotes"]!.AsArray())!;
        AssertTornNote(note, file, tornAt);
        Assert.Contains(note["text"]!.GetValue<string>(), warnings);
    }

    [Fact]
    public void Plan_and_predict_json_carry_the_torn_tail_as_a_run_note()
    {
        using var tmp = new TempDir();
        var (file, tornAt) = TornRun(tmp);
        var plan = Cli.Run("plan", "--runs", file, "--params", "10M", "--tokens", "100M", "--laws", "tissue", "--no-lr-prior", "--no-divergence", "--runner-ups", "0", "--no-fit-cache", "--out", tmp.Combine("plan"), "--json");
        Assert.True(plan.ExitCode == 0, plan.Stderr);
        AssertTornNote(Assert.Single(plan.Json()["runNotes"]!.AsArray())!, file, tornAt);
        // plan.json, the file, is the same document.
        var written = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(tmp.Combine("plan", "plan.json")))!;
        AssertTornNote(Assert.Single(written["runNotes"]!.AsArray())!, file, tornAt);
        // report.html lists it under the warnings, in the same words.
        string report = File.ReadAllText(tmp.Combine("plan", "report.html"));
        Assert.Contains("1 note on reading the runs", report, StringComparison.Ordinal);
        Assert.Contains("read up to its torn tail (the file ends inside a chunk (", report, StringComparison.Ordinal);
        string law = tmp.File("law.json", $$"""{"format":"hyperlaws-law","version":1,"law":"tissue",{{TissueParameters}},"runs":[{{System.Text.Json.JsonSerializer.Serialize(file)}}]}""");
        var predict = Cli.Run("predict", "--law", law, "--schedule", "constant(peak=1e-3,steps=1000)", "--json");
        Assert.Equal(0, predict.ExitCode);
        AssertTornNote(Assert.Single(predict.Json()["runNotes"]!.AsArray())!, file, tornAt);
    }

    private static void AssertTornNote(System.Text.Json.Nodes.JsonNode note, string file, long tornAt)
    {
        Assert.Equal("TornTail", note["kind"]!.GetValue<string>());
        Assert.Equal(file, note["run"]!.GetValue<string>());
        Assert.Equal(tornAt, note["quantities"]!["offset"]!.GetValue<double>());
        Assert.StartsWith("the file ends inside a chunk (", note["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.StartsWith($"{file}: read up to its torn tail (the file ends inside a chunk (", note["text"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    /// <summary>
    /// The other commands that read runs (a law's runs through rank's training range, sweep's and diverge's --runs): the arguments
    /// after the command, with LAW (a law naming the torn run among its runs), BARE (the law naming no runs), RUN (the torn file) and OUT
    /// (a fresh folder) filled in,
    /// and the flag that silences the note (--json, or --quiet where the command's JSON is no different).
    /// </summary>
    public static TheoryData<string, string[], string> Commands => new()
    {
        { "contour", ["--law", "LAW", "--runs", "RUN", "--steps", "1000", "--peaks", "1e-4:1e-3:3", "--warmups", "0.01:0.1:3", "--out", "OUT"], "--json" },
        { "predict", ["--law", "LAW", "--schedule", "constant(peak=1e-3,steps=1000)"], "--json" },
        { "predict", ["--law", "LAW", "--schedule", "constant(peak=1e-3,steps=1000)"], "--quiet" },
        { "rank-continuation", ["--law", "LAW", "--history", "constant(peak=1e-3,steps=500)", "--steps", "1000", "--top", "2"], "--json" },
        { "rank-continuation", ["--law", "BARE", "--history", "RUN", "--steps", "100", "--top", "2"], "--json" },
        { "rank-continuation", ["--law", "LAW", "--history", "RUN", "--steps", "100", "--top", "2"], "--quiet" },
        { "optimize-schedule", ["--law", "LAW", "--runs", "RUN", "--steps", "200", "--peak", "1e-3", "--warmup", "10", "--knots", "4", "--evaluations", "20"], "--json" },
        { "sweep", ["--params", "17M", "--tokens", "7.2B", "--optimizer", "muon", "--runs", "RUN"], "--json" },
        { "diverge", ["--fit", "--runs", "RUN", "--out", "OUT/div.json"], "--json" },
    };

    [Theory]
    [MemberData(nameof(Commands))]
    public void Every_command_that_reads_runs_notes_the_torn_tail_once_unless_silenced(string command, string[] args, string silence)
    {
        using var tmp = new TempDir();
        var (file, tornAt) = TornRun(tmp);
        string law = tmp.File("law.json", $$"""{"format":"hyperlaws-law","version":1,"law":"tissue",{{TissueParameters}},"runs":[{{System.Text.Json.JsonSerializer.Serialize(file)}}]}""");
        string bare = tmp.File("bare.json", TissueLaw);
        string[] filled = [command, .. args.Select(a => a.Replace("BARE", bare, StringComparison.Ordinal).Replace("LAW", law, StringComparison.Ordinal).Replace("RUN", file, StringComparison.Ordinal).Replace("OUT", tmp.Combine("out"), StringComparison.Ordinal))];
        var r = Cli.Run(filled);
        var torn = r.Stderr.Split('\n').Where(l => l.Contains("torn tail", StringComparison.Ordinal)).ToList();
        Assert.True(torn.Count == 1, $"{command} (exit {r.ExitCode}) stderr:\n{r.Stderr}");
        Assert.StartsWith($"note: {file}: read up to its torn tail (the file ends inside a chunk (", torn[0], StringComparison.Ordinal);
        Assert.Contains($" at offset {tornAt}: ", torn[0], StringComparison.Ordinal);
        var silenced = Cli.Run([.. filled, silence]);
        Assert.Equal(r.ExitCode, silenced.ExitCode);
        Assert.DoesNotContain("torn tail", silenced.Stderr, StringComparison.Ordinal);
    }

    /// <summary>Writes the torn run file (see the class summary); the offset of its torn record's chunk.</summary>
    private static (string File, long TornAt) TornRun(TempDir tmp)
    {
        byte[][] records = [Pb(17, Pb(1, Utf8("torn1")), Pb(8, Utf8("torn-run"))), .. Enumerable.Range(1, 41).Select(Row)];
        long tornAt = Frame(records[..^1]).Length; // every record here is short and stays in block 0
        byte[] bytes = Frame(records);
        return (tmp.File("run-torn1.wandb", bytes[..^3]), tornAt);
    }

    /// <summary>A Record with a history row (field 2) of items _step, loss and lr.</summary>
    private static byte[] Row(int step) =>
        HistoryRecord(null, ("_step", $"{step}"), ("loss", FormattableString.Invariant($"{4.0 - 0.01 * step}")), ("lr", "0.001"));
}
