using System.Globalization;
using System.IO.Compression;
using HyperLaws.Readers.Internal;
using HyperLaws.Runs;
using Xunit;
using static HyperLaws.Readers.Tests.WandbFraming;

namespace HyperLaws.Readers.Tests;

/// <summary>
/// W&amp;B's local run files (<c>run-ID.wandb</c>): files from W&amp;B's own repository (TestData/wandb_runfile, see its README), two
/// written by the SDK during real runs and the others by W&amp;B's own writer code, W&amp;B's own corruption fixtures, and
/// corrupted copies made here (a flipped byte, a cut tail, a wrong header). The expected values were read with the independent
/// decoder benchmarks/wandb-runfile/decode.py (zlib CRC-32, a hand-written protobuf walk) and, where the run left them, with the
/// run's own other files (its printed <c>output.log</c>, its <c>wandb-summary.json</c>).
/// </summary>
public sealed class WandbRunFileReaderTests : IDisposable
{
    private readonly TempDir _tmp = new();

    public void Dispose() => _tmp.Dispose();

    private static string Data(string name) => Path.Combine(AppContext.BaseDirectory, "TestData", "wandb_runfile", name);

    private static RunReadOptions Constant(int steps, string? loss = null) => new() { Schedule = $"constant(peak=1e-3,steps={steps})", LossColumn = loss };

    /// <summary>run-pmdnt7a3.wandb, decompressed into the test's folder (2.4 MB; committed gzipped).</summary>
    private string Pmdnt7a3()
    {
        string path = _tmp.Combine("run-pmdnt7a3.wandb");
        using var gz = new GZipStream(File.OpenRead(Data("run-pmdnt7a3.wandb.gz")), CompressionMode.Decompress);
        using var fs = File.Create(path);
        gz.CopyTo(fs);
        return path;
    }

    /// <summary>
    /// The 50 <c>loss</c> values of run-pmdnt7a3's history, _step 0..49, as decode.py prints them (each history record ~48 KB of
    /// histograms, split over blocks); the last is also the <c>loss</c> of the run's files/wandb-summary.json.
    /// </summary>
    private static readonly double[] Pmdnt7a3Losses =
    [
        41.39761473284824, 35.050742840843874, 36.28559551890908, 19.59040980885313, 38.74498274324308, 30.610938988856926,
        23.355771021808827, 17.856448759658825, 40.03332185919754, 22.687326218123488, 32.734788666606015, 7.185877809867418,
        21.030684330161396, 16.821187912630442, 14.816868001256584, 8.539921544967203, 24.004396978983273, 32.88575605063532,
        22.658684483217844, 12.773506148644852, 28.56072938492757, 19.426974647613196, 3.185164358847648, 16.3733545942431,
        23.697279530612413, 5.5420661970929626, 15.155758784867198, 8.046674133137763, 13.50806455609646, 13.87015849753213,
        18.26500335704617, 1.0272042495525056, 9.587389165305325, 9.012104532983056, 3.280707630901407, 4.7020103463199225,
        11.256528177295106, 12.59913576371698, 2.3016834904926977, 1.6805928652218767, 8.740563926126342, 7.87559162374331,
        6.5917114310811735, 3.5649410776438333, 5.340363380304959, 0.3082283503377775, 1.5326806075554797, 1.37594218127867,
        1.783914203799422, 0.03794694214177996,
    ];

    [Fact]
    public void Crc32_is_zlibs_crc32_of_the_type_byte_and_the_data()
    {
        Assert.Equal(0xCBF43926u, Crc32Ieee.Compute("123456789"u8));
        // W&B's Python writer seeds zlib.crc32 with the CRC of the type byte: the same as the CRC of type + data in one pass.
        byte[] data = "hello"u8.ToArray();
        Assert.Equal(Crc32Ieee.Compute([1, .. data]), Crc32Ieee.Append(Crc32Ieee.Compute([1]), data));
    }

    [Fact]
    public void A_real_sdk_run_reads_the_losses_the_run_printed()
    {
        // files/output.log of that run: "loss: 0.62317548673073", then "loss: 0.5134862408186568" (train.py prints each loss it logs).
        string path = Data("run-274fsr9r.wandb");
        Assert.True(WandbRunFileReader.Recognizes(path));
        var run = RunReader.Read(path, Constant(1));
        Assert.Equal("274fsr9r", run.Name);
        var o = Assert.Single(run.Observations);
        Assert.Equal((1, 0.5134862408186568, LossSplit.Train), (o.Step, o.Loss, o.Split));
        Assert.Equal("0.62317548673073", run.Metadata.Tags["initialLoss"]);
        Assert.Equal("274fsr9r", run.Metadata.Tags["runId"]);
        Assert.Equal("step=_step, train=loss, val=-, lr=-", run.Metadata.Tags["keys"]);
        Assert.False(run.Metadata.Tags.ContainsKey("tornTail"));
    }

    [Fact]
    public void Records_split_over_blocks_are_joined_and_every_loss_matches_the_independent_decoder()
    {
        var run = RunReader.Read(Pmdnt7a3(), Constant(49));
        Assert.Equal(49, run.Observations.Count);
        for (int s = 1; s <= 49; s++)
        {
            Assert.Equal(s, run.Observations[s - 1].Step);
            Assert.Equal(Pmdnt7a3Losses[s], run.Observations[s - 1].Loss);
        }
        Assert.Equal(Pmdnt7a3Losses[0].ToString("R", CultureInfo.InvariantCulture), run.Metadata.Tags["initialLoss"]);
        // The test script logs random.uniform(0, 50 - i): the divergence rule sees 38.7 after 19.6 at step 4.
        Assert.True(run.Diverged);
        Assert.Equal("4", run.Metadata.Tags["divergedAt"]);
    }

    [Fact]
    public void Config_gives_batch_optimizer_and_the_configured_lr_and_nested_keys_read_as_train_loss()
    {
        var run = RunReader.Read(Data("run-tiny0001.wandb"), Constant(49));
        Assert.Equal("single-tiny-run", run.Name);
        Assert.Equal(32, run.Metadata.BatchSize);
        Assert.Equal("adam", run.Metadata.Optimizer);
        Assert.Equal("0.001", run.Metadata.Tags["configLr"]);
        Assert.Equal("step=_step, train=train/loss, val=-, lr=-", run.Metadata.Tags["keys"]);
        Assert.Equal(49, run.Observations.Count);
        // W&B's fixture generator: train/loss = 2 - 0.035 s, rounded to six decimals (decode.py: 2 at _step 0, 0.285 at 49).
        foreach (var o in run.Observations) Assert.Equal(2 - 0.035 * o.Step, o.Loss, 1e-9);
        Assert.Null(run.Metadata.TokensPerStep); // no sequence length in the config
    }

    [Fact]
    public void Without_a_logged_lr_or_a_schedule_the_run_asks_for_one()
    {
        var e = Assert.Throws<RunFormatException>(() => RunReader.Read(Data("run-tiny0001.wandb")));
        Assert.Contains("no learning rates", e.Problem, StringComparison.Ordinal);
        // A binary log takes no 'schedule:' line: the way in is import (foreign-usage matrix, helper planaudit), the only one offered,
        // and the config's lr is said with a spec ready to run at it over the run's 49 steps.
        Assert.Contains("or a schedule (hyperlaws import FILE --schedule SPEC --out RUN.csv)", e.Problem, StringComparison.Ordinal);
        Assert.DoesNotContain("schedule: <spec>", e.Problem, StringComparison.Ordinal);
        Assert.Contains("the run's config gives lr = 0.001 (", e.Problem, StringComparison.Ordinal);
        Assert.EndsWith(": hyperlaws import FILE --schedule 'constant(peak=0.001,steps=49)' --out RUN.csv).", e.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bad_crc_names_the_offset_of_the_chunk()
    {
        // W&B's own corruption fixture: the history chunk at offset 143 has a wrong CRC.
        var e = Assert.Throws<RunFormatException>(() => RunReader.Read(Data("bad-crc.wandb"), Constant(1, "wire/metric")));
        Assert.Equal("offset 143", e.Location);
        Assert.Contains("chunk CRC mismatch", e.Problem, StringComparison.Ordinal);

        // A copy of the SDK run with one data byte of the record at offset 1431 (the history row of _step 1) flipped.
        byte[] b = File.ReadAllBytes(Data("run-274fsr9r.wandb"));
        b[1431 + 7 + 10] ^= 0x01;
        string copy = _tmp.File("flipped.wandb", b);
        e = Assert.Throws<RunFormatException>(() => RunReader.Read(copy, Constant(1)));
        Assert.StartsWith(copy + ":offset 1431: chunk CRC mismatch", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_torn_last_record_of_a_run_without_exit_record_is_skipped_with_a_note()
    {
        // W&B's own fixture: three rows, then a chunk cut short at offset 234, no exit record.
        var run = RunReader.Read(Data("truncated-tail.wandb"), Constant(2, "wire/metric"));
        Assert.Equal([(1, 2.0), (2, 3.0)], run.Observations.Select(o => (o.Step, o.Loss)));
        Assert.Contains("at offset 234", run.Metadata.Tags["tornTail"], StringComparison.Ordinal);

        // The live run (no exit record) reads whole; cut inside its last record (_step 29 at offset 2992) it loses that row only.
        Assert.Equal(29, RunReader.Read(Data("run-wm3live.wandb"), Constant(29)).Observations.Count);
        byte[] b = File.ReadAllBytes(Data("run-wm3live.wandb"));
        string cut = _tmp.File("live.wandb", b[..(b.Length - 10)]);
        run = RunReader.Read(cut, Constant(28));
        Assert.Equal(28, run.Observations.Count);
        Assert.Equal(0.468453, run.Observations[^1].Loss);
        Assert.StartsWith("the file ends inside a chunk", run.Metadata.Tags["tornTail"], StringComparison.Ordinal);
        Assert.Contains("at offset 2992", run.Metadata.Tags["tornTail"], StringComparison.Ordinal);
    }

    [Fact]
    public void A_record_torn_across_blocks_is_skipped_from_its_first_chunk()
    {
        // Cut at byte 100,000: inside the record of _step 2, whose FIRST chunk is at offset 94545 and whose LAST is in the next
        // block; the exit record is gone with the tail, so this reads as a run still being written.
        string full = Pmdnt7a3();
        string cut = _tmp.File("cut.wandb", File.ReadAllBytes(full)[..100_000]);
        var run = RunReader.Read(cut, Constant(1));
        Assert.Equal([(1, Pmdnt7a3Losses[1])], run.Observations.Select(o => (o.Step, o.Loss)));
        Assert.Contains("at offset 94545", run.Metadata.Tags["tornTail"], StringComparison.Ordinal);
    }

    [Fact]
    public void A_truncated_run_that_has_its_exit_record_is_an_error()
    {
        // The SDK run's exit record comes before its last records (final, footer): cut the last 5 bytes.
        byte[] b = File.ReadAllBytes(Data("run-274fsr9r.wandb"));
        string cut = _tmp.File("cut.wandb", b[..(b.Length - 5)]);
        var e = Assert.Throws<RunFormatException>(() => RunReader.Read(cut, Constant(1)));
        Assert.StartsWith("offset ", e.Location, StringComparison.Ordinal);
        Assert.Contains("the file is truncated (the run has an exit record", e.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_wrong_header_is_named_and_the_header_decides_not_the_name()
    {
        byte[] b = File.ReadAllBytes(Data("run-tiny0001.wandb"));
        string renamed = _tmp.File("history.bin", b);
        Assert.Equal(49, RunReader.Read(renamed, Constant(49)).Observations.Count);

        byte[] bad = (byte[])b.Clone();
        bad[1] = (byte)'X';
        string noIdent = _tmp.File("run-x.wandb", bad);
        Assert.False(WandbRunFileReader.Recognizes(noIdent));
        var e = Assert.Throws<RunFormatException>(() => RunReader.Read(noIdent, Constant(49)));
        Assert.Equal("offset 0", e.Location);
        Assert.StartsWith("not a W&B run file: the header is 3A582642E1BE00", e.Problem, StringComparison.Ordinal);

        bad = (byte[])b.Clone();
        bad[4] = 0;
        e = Assert.Throws<RunFormatException>(() => RunReader.Read(_tmp.File("run-m.wandb", bad), Constant(49)));
        Assert.Equal(("offset 4", "wrong W&B header magic 0xBE00 (expected 0xBEE1)."), (e.Location, e.Problem));
    }

    [Fact]
    public void Rows_without_a_step_number_count_on_from_the_previous_row()
    {
        // W&B's golden logs of the encoding after wandb PR #12110: automatic steps carry no number, explicit ones step.num only.
        var auto = RunReader.Read(Data("run-new_auto_steps.wandb"), Constant(2, "x"));
        Assert.Equal([(1, 1.0), (2, 2.0)], auto.Observations.Select(o => (o.Step, o.Loss)));
        var expl = RunReader.Read(Data("run-new_explicit_steps.wandb"), Constant(10, "x"));
        Assert.Equal([(5, 1.0), (10, 2.0)], expl.Observations.Select(o => (o.Step, o.Loss)));
    }

    [Fact]
    public void A_folder_read_includes_its_run_files()
    {
        File.Copy(Data("run-tiny0001.wandb"), _tmp.Combine("run-tiny0001.wandb"));
        File.Copy(Data("bad-crc.wandb"), _tmp.Combine("bad-crc.wandb"));
        var set = RunReader.ReadDirectory(_tmp.Path, Constant(49));
        Assert.Equal("single-tiny-run", Assert.Single(set.Runs).Name);
        Assert.Contains("chunk CRC mismatch", Assert.Single(set.Failures).Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Hugging_face_rows_step_on_train_global_step_not_on_the_wandb_log_calls()
    {
        // HF Trainer's WandbCallback logs train/global_step with each row; _step counts the wandb.log calls (0, 1, 2).
        string path = _tmp.File("run-hf.wandb", Frame([
            HistoryRecord(null, ("_step", "0"), ("train/global_step", "10"), ("train/loss", "3.5"), ("train/learning_rate", "0.001")),
            HistoryRecord(null, ("_step", "1"), ("train/global_step", "20"), ("train/loss", "3.0"), ("train/learning_rate", "0.001")),
            HistoryRecord(null, ("_step", "2"), ("train/global_step", "20"), ("eval/loss", "3.2")),
        ]));
        var run = RunReader.Read(path, new RunReadOptions { InterpolateLr = true });
        Assert.Equal("step=train/global_step, train=train/loss, val=eval/loss, lr=train/learning_rate", run.Metadata.Tags["keys"]);
        Assert.Equal([(10, 3.5, LossSplit.Train), (20, 3.0, LossSplit.Train), (20, 3.2, LossSplit.Validation)],
            run.Observations.Select(o => (o.Step, o.Loss, o.Split)));
    }

    /// <summary>
    /// A run of 50 MB: a run record, 200 history rows and, between them, console output (OutputRawRecord, field 13) of 4,050 bytes a
    /// record (FULL chunks and records split over blocks), as a long job's file is mostly output and system stats.
    /// </summary>
    private string LargeRun(out int rows)
    {
        string path = _tmp.Combine("run-large.wandb");
        rows = 200;
        const int outputs = 12_400;
        var output = Pb(13, Pb(1, new byte[4050]));
        int every = outputs / rows;
        IEnumerable<byte[]> Records()
        {
            yield return RunRecord("large", "large-run");
            for (int i = 0; i < outputs; i++)
            {
                if (i % every == 0) yield return HistoryRecord(null, ("_step", $"{i / every + 1}"), ("loss", $"{5.0 - i * 1e-4}"), ("lr", "0.001"));
                yield return output;
            }
        }
        using (var fs = File.Create(path)) FrameTo(fs, Records());
        return path;
    }

    [Fact]
    public void A_50_mb_run_file_is_read_block_by_block_in_bounded_memory()
    {
        string path = LargeRun(out int rows);
        long size = new FileInfo(path).Length;
        Assert.InRange(size, 50_000_000, 51_000_000);
        RunReader.Read(Data("run-tiny0001.wandb"), Constant(49)); // the code paths run once before counting
        long before = GC.GetAllocatedBytesForCurrentThread();
        var run = WandbRunFileReader.Read(path);
        long streamed = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(rows, run.Observations.Count);
        Assert.Equal("large-run", run.Name);
        // Streamed: a 32 KiB block, the record being joined and the 200 rows read; not the file (4% of it).
        Assert.True(streamed < 2_000_000, $"streamed: {streamed} bytes allocated for a file of {size} bytes");
    }

    /// <summary>A Record with a telemetry record (11) whose feature (3) sets shared_mode (67), as wandb.init(mode="shared") writes it.</summary>
    private static byte[] SharedTelemetry() => Pb(3, PbVarint(67, 1));

    [Fact]
    public void A_shared_mode_run_file_is_read_only_on_a_step_the_trainer_logged()
    {
        // Shared mode: W&B's handler writes the rows with neither _step nor step.num (the server numbers them across the writers).
        byte[] runWithTelemetry = Pb(17, Pb(1, Utf8("sh1")), Pb(19, SharedTelemetry()));
        string bare = _tmp.File("run-shared.wandb", Frame([runWithTelemetry, HistoryRecord(null, ("loss", "3.0"), ("lr", "0.001")), HistoryRecord(null, ("loss", "2.5"), ("lr", "0.001"))]));
        var e = Assert.Throws<RunFormatException>(() => RunReader.Read(bare));
        Assert.StartsWith($"{bare}:offset 7: shared-mode run files are not read on W&B's own step: ", e.Message, StringComparison.Ordinal);
        Assert.Contains("the first here at offset ", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
        // The same rows with the trainer's step key read on it; the telemetry record (11) says shared mode as the run record's does.
        string logged = _tmp.File("run-shared2.wandb", Frame([RunRecord("sh2", "shared-two"), Pb(11, SharedTelemetry()),
            HistoryRecord(null, ("step", "100"), ("loss", "3.0"), ("lr", "0.001")), HistoryRecord(null, ("step", "200"), ("loss", "2.5"), ("lr", "0.001"))]));
        Assert.Equal([(100, 3.0), (200, 2.5)], RunReader.Read(logged, new RunReadOptions { InterpolateLr = true }).Observations.Select(o => (o.Step, o.Loss)));
        // The telemetry record says shared mode (the refusal's offset); the first row without a step is named; the keys listed are
        // the file's own, not the _step this reader numbers the rows with.
        byte[][] records = [RunRecord("sh3", "shared-three"), Pb(11, SharedTelemetry()),
            HistoryRecord(null, ("loss", "3.0"), ("lr", "0.001")), HistoryRecord(null, ("loss", "2.5"), ("lr", "0.001"))];
        string named = _tmp.File("run-shared3.wandb", Frame(records));
        long telemetryAt = Frame(records[..1]).Length, firstRowAt = Frame(records[..2]).Length;
        foreach (var options in new[] { new RunReadOptions(), new RunReadOptions { StepColumn = "_step" } })
            Assert.Equal($"{named}:offset {telemetryAt}: shared-mode run files are not read on W&B's own step: the run was logged with mode=\"shared\" (several processes writing one run), whose history rows carry no step (W&B's server numbers them across the writers; the first here at offset {firstRowAt}); log the trainer's step with the losses and name it with --step-column, or export the run's history (the file's keys: 'loss', 'lr'; _step is W&B's numbering of the rows, not accepted here).",
                Assert.Throws<RunFormatException>(() => RunReader.Read(named, options)).Message);
        // --step-column naming the trainer's own step key (one no reader guesses) reads a shared-mode file on it.
        string keyed = _tmp.File("run-shared4.wandb", Frame([RunRecord("sh4", "shared-four"), Pb(11, SharedTelemetry()),
            HistoryRecord(null, ("trainer_step", "100"), ("loss", "3.0"), ("lr", "0.001")), HistoryRecord(null, ("trainer_step", "200"), ("loss", "2.5"), ("lr", "0.001"))]));
        Assert.Throws<RunFormatException>(() => RunReader.Read(keyed, new RunReadOptions { InterpolateLr = true }));
        var byKey = RunReader.Read(keyed, new RunReadOptions { StepColumn = "trainer_step", InterpolateLr = true });
        Assert.Equal([(100, 3.0), (200, 2.5)], byKey.Observations.Select(o => (o.Step, o.Loss)));
        // Without shared mode the same rows count on from starting_step (an automatic step), as before.
        string plain = _tmp.File("run-plain.wandb", Frame([RunRecord("p1", "plain"), HistoryRecord(null, ("loss", "3.0"), ("lr", "0.001")), HistoryRecord(null, ("loss", "2.5"), ("lr", "0.001"))]));
        Assert.Equal([(1, 2.5)], RunReader.Read(plain).Observations.Select(o => (o.Step, o.Loss)));
    }

    /// <summary>Rewrites the chunk header at <paramref name="pos"/> with <paramref name="type"/> and the CRC of its data (so the CRC check passes).</summary>
    private static void Retype(byte[] b, int pos, byte type)
    {
        int n = BitConverter.ToUInt16(b, pos + 4);
        b[pos + 6] = type;
        BitConverter.GetBytes(Crc32Ieee.Append(Crc32Ieee.Compute([type]), b.AsSpan(pos + 7, n))).CopyTo(b, pos);
    }

    private RunFormatException FramingError(byte[] b) => Assert.Throws<RunFormatException>(() => WandbLog.Read("f.wandb", b));

    [Fact]
    public void Framing_errors_name_their_offset_padding_block_crossing_unknown_type_and_fragment_order()
    {
        // A record of 32751 bytes fills block 0 up to 3 bytes of padding (7 + 7 + 32751 = 32765); a second record follows in block 1.
        byte[] b = Frame([new byte[32751], [1, 2, 3]]);
        Assert.Equal(2, WandbLog.Read("f.wandb", b).Records.Count);
        byte[] c = (byte[])b.Clone();
        c[32766] = 0x01;
        var e = FramingError(c);
        Assert.Equal(("offset 32766", "non-zero byte 0x01 in the padding at the end of a 32 KiB block (corrupt file)."), (e.Location, e.Problem));

        // A chunk whose length crosses its block (checked before its CRC).
        c = Frame([[1, 2, 3], [4, 5]]);
        BitConverter.GetBytes((ushort)40000).CopyTo(c, 7 + 4);
        e = FramingError(c);
        Assert.Equal(("offset 7", "a chunk of 40000 bytes runs past the end of its 32 KiB block (32754 bytes left there; corrupt file)."), (e.Location, e.Problem));

        // An unknown chunk type with a right CRC.
        c = Frame([[1, 2, 3], [4, 5]]);
        Retype(c, 7 + 7 + 3, 5);
        e = FramingError(c);
        Assert.Equal(("offset 17", "unknown chunk type 5 (1 FULL, 2 FIRST, 3 MIDDLE, 4 LAST; corrupt file)."), (e.Location, e.Problem));

        // A record over two blocks: FIRST at 7, LAST at 32768. Each made out of order, its CRC recomputed.
        byte[] big = Frame([new byte[40000], [9]]);
        Assert.Equal(2, WandbLog.Read("f.wandb", big).Records.Count);
        c = (byte[])big.Clone();
        Retype(c, 7, 3);
        e = FramingError(c);
        Assert.Equal(("offset 7", "a MIDDLE chunk with no FIRST chunk before it (corrupt file)."), (e.Location, e.Problem));
        c = (byte[])big.Clone();
        Retype(c, 7, 4);
        Assert.Equal("a LAST chunk with no FIRST chunk before it (corrupt file).", FramingError(c).Problem);
        c = (byte[])big.Clone();
        Retype(c, 32768, 1);
        e = FramingError(c);
        Assert.Equal(("offset 32768", "a FULL chunk inside the record whose FIRST chunk is at offset 7 (corrupt file)."), (e.Location, e.Problem));
        c = (byte[])big.Clone();
        Retype(c, 32768, 2);
        Assert.Equal("a FIRST chunk inside the record whose FIRST chunk is at offset 7 (corrupt file).", FramingError(c).Problem);
    }

    /// <summary>A few short records (a run record and three rows): framed, they end well inside block 0.</summary>
    private static byte[][] ShortRecords() => [RunRecord("b1", "blocks"), .. Enumerable.Range(1, 3).Select(i => HistoryRecord(null, ("_step", $"{i}"), ("loss", "3.0"), ("lr", "0.001")))];

    private static byte[] Short() => Frame(ShortRecords());

    [Fact]
    public void Zeros_over_several_blocks_are_a_torn_tail_and_data_after_them_is_named_at_its_offset()
    {
        byte[] head = Short();
        var log = WandbLog.Read("f.wandb", [.. head, .. new byte[3 * WandbLog.BlockSize]]);
        Assert.Equal(4, log.Records.Count);
        Assert.Equal((head.Length, $"the file ends in {3 * WandbLog.BlockSize} zero bytes (space never written, as after a crash)"), (log.TornAt, log.TornProblem));
        // A data byte 70,000 bytes into the zeros (two blocks on): the error names the zero header and that byte's offset.
        var e = FramingError([.. head, .. new byte[70_000], 1]);
        Assert.Equal(($"offset {head.Length}", $"an all-zero chunk header (unwritten space) followed by data at offset {head.Length + 70_000} (corrupt file)."), (e.Location, e.Problem));
        // A chunk with a bad CRC whose data ends in zeros, then zero blocks, then data: not a tail written in part but corruption.
        byte[] b = Frame([RunRecord("b1", "blocks"), [1, 2, 0]]);
        int last = b.Length - 10;
        b[last] ^= 0xFF;
        e = FramingError([.. b, .. new byte[70_000], 1]);
        Assert.Equal($"offset {last}", e.Location);
        Assert.StartsWith("chunk CRC mismatch: stored 0x", e.Problem, StringComparison.Ordinal);
        // The same without the data byte: the zero-filled tail of a chunk written in part, torn at it.
        Assert.Equal(last, WandbLog.Read("f.wandb", [.. b, .. new byte[70_000]]).TornAt);
    }

    [Fact]
    public void A_flipped_length_bit_in_the_last_block_names_the_valid_chunk_after_it()
    {
        // A record of 40000 bytes over blocks 0 and 1, then three short records in block 1 (the file's last).
        int at = Frame([new byte[40000]]).Length;
        byte[] b = Frame([new byte[40000], [1, 2, 3], [4, 5, 6, 7], [8, 9]]);
        Assert.Equal(1, at / WandbLog.BlockSize);
        b[at + 5] ^= 0x10; // the length's high byte: 3 -> 4099 bytes, past the end of the file but inside its block
        var e = FramingError(b);
        Assert.Equal(($"offset {at}", $"chunk length 4099 runs past the end of the file but a valid chunk follows at offset {at + 7 + 3} (corrupt file)."), (e.Location, e.Problem));
    }

    [Fact]
    public void Files_of_exactly_two_blocks_read_whole_with_and_without_padding()
    {
        // Without padding: a FULL chunk fills block 0 after the header (7 + 7 + 32754), another fills block 1 (7 + 32761).
        byte[] b = Frame([new byte[32754], new byte[32761]]);
        Assert.Equal(2 * WandbLog.BlockSize, b.Length);
        var log = WandbLog.Read("f.wandb", b);
        Assert.Equal([32754, 32761], log.Records.Select(r => r.Data.Length));
        Assert.Null(log.TornAt);
        // With padding: block 1's record 3 bytes shorter, its last 3 bytes the zero padding the writer leaves.
        b = [.. Frame([new byte[32754], new byte[32758]]), 0, 0, 0];
        Assert.Equal(2 * WandbLog.BlockSize, b.Length);
        log = WandbLog.Read("f.wandb", b);
        Assert.Equal([32754, 32758], log.Records.Select(r => r.Data.Length));
        Assert.Null(log.TornAt);
    }

    [Fact]
    public void A_file_cut_at_a_block_boundary_inside_a_split_record_is_a_torn_tail()
    {
        byte[] head = Short();
        byte[] b = Frame([.. ShortRecords(), new byte[40000]]);
        var log = WandbLog.Read("f.wandb", b[..WandbLog.BlockSize]);
        Assert.Equal(4, log.Records.Count);
        Assert.Equal((head.Length, "the file ends inside a record split over blocks (no LAST chunk)"), (log.TornAt, log.TornProblem));
    }

    [Fact]
    public void An_empty_or_4_byte_file_and_a_stream_that_cannot_seek_are_one_line_errors()
    {
        foreach (var (bytes, shown) in new[] { (Array.Empty<byte>(), "empty"), (":W&B"u8.ToArray(), "3A572642") })
        {
            string path = _tmp.File($"short{bytes.Length}.wandb", bytes);
            var e = Assert.Throws<RunFormatException>(() => WandbRunFileReader.Read(path));
            Assert.Equal($"{path}:offset 0: not a W&B run file: the header is {shown}, expected 3A572642 E1BE 00 (':W&B', magic, version).", e.Message);
        }
        // A stream with no length (a pipe; here a decompressing stream) is refused before any read.
        using var gz = new GZipStream(new MemoryStream(Short()), CompressionMode.Decompress);
        var s = Assert.Throws<RunFormatException>(() => WandbLog.Scan("f.wandb", gz, (_, _) => { }));
        Assert.Equal(("offset 0", "cannot read the file: its stream cannot seek, so its length is unknown (give a file)."), (s.Location, s.Problem));
        // A stream positioned after other bytes is read from there, as offset 0 of the log.
        byte[] file = Short();
        using var after = new MemoryStream([9, 9, 9, .. file]) { Position = 3 };
        var offsets = new List<long>();
        Assert.Null(WandbLog.Scan("f.wandb", after, (offset, _) => offsets.Add(offset)).At);
        Assert.Equal(WandbLog.Read("f.wandb", file).Records.Select(r => r.Offset), offsets);
    }

    [Fact]
    public void A_flipped_bit_in_a_chunk_length_is_corruption_not_a_torn_tail()
    {
        // The reviewer's bit2.wandb: bit 0x10 of the length's high byte of the chunk at offset 4105 (113 -> 4209 bytes, past the end
        // of the 7565-byte file). Read as a torn tail, it dropped 22 of the run's 49 losses; the next chunk (4105 + 7 + 113) is valid.
        byte[] b = File.ReadAllBytes(Data("run-tiny0001.wandb"));
        b[4110] ^= 0x10;
        string copy = _tmp.File("bit2.wandb", b);
        var e = Assert.Throws<RunFormatException>(() => RunReader.Read(copy, Constant(49)));
        Assert.Equal($"{copy}:offset 4105: chunk length 4209 runs past the end of the file but a valid chunk follows at offset 4225 (corrupt file).", e.Message);
    }

    [Fact]
    public void A_zero_filled_tail_is_a_torn_tail_and_data_after_zeros_is_corruption()
    {
        // A node crash leaves preallocated space zero: the live run (no exit record) with 5000 zero bytes after it reads whole.
        byte[] live = File.ReadAllBytes(Data("run-wm3live.wandb"));
        var run = RunReader.Read(_tmp.File("z1.wandb", [.. live, .. new byte[5000]]), Constant(29));
        Assert.Equal(29, run.Observations.Count);
        Assert.Equal($"the file ends in 5000 zero bytes (space never written, as after a crash) at offset {live.Length}: the last record of a run still being written, skipped", run.Metadata.Tags["tornTail"]);

        // Its last record (at 2992) written in part: its last 10 bytes zero, then zeros to the end: a bad CRC, torn, that row lost.
        byte[] part = [.. live, .. new byte[100]];
        Array.Clear(part, live.Length - 10, 10);
        run = RunReader.Read(_tmp.File("z2.wandb", part), Constant(28));
        Assert.Equal(28, run.Observations.Count);
        Assert.StartsWith("a chunk with a bad CRC whose data ends in zeros to the end of the file", run.Metadata.Tags["tornTail"], StringComparison.Ordinal);
        Assert.Contains("at offset 2992", run.Metadata.Tags["tornTail"], StringComparison.Ordinal);

        // A zero chunk header with data after it is corruption, not a tail.
        string gap = _tmp.File("z3.wandb", [.. live, .. new byte[20], 1]);
        var e = Assert.Throws<RunFormatException>(() => RunReader.Read(gap, Constant(29)));
        Assert.Equal($"{gap}:offset {live.Length}: an all-zero chunk header (unwritten space) followed by data at offset {live.Length + 20} (corrupt file).", e.Message);

        // The exit-record rule still holds: a finished run followed by zeros was cut (its records after the exit record are gone).
        byte[] done = File.ReadAllBytes(Data("run-274fsr9r.wandb"));
        e = Assert.Throws<RunFormatException>(() => RunReader.Read(_tmp.File("z4.wandb", [.. done, .. new byte[64]]), Constant(1)));
        Assert.Contains("the file is truncated (the run has an exit record", e.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_whose_history_is_all_in_its_torn_tail_says_so()
    {
        // The live run cut right after its first history record's header: no history row before the torn tail.
        byte[] live = File.ReadAllBytes(Data("run-wm3live.wandb"));
        var records = WandbLog.Read("x", live).Records;
        int firstHistory = (int)records.First(r => r.Data[0] == 0x12).Offset; // field 2 (history), wire type 2
        string cut = _tmp.File("cut.wandb", live[..(firstHistory + 9)]);
        var e = Assert.Throws<RunFormatException>(() => RunReader.Read(cut, Constant(29)));
        Assert.Contains($"(none: the file has no history rows; skipped: the file's torn tail at offset {firstHistory} (the file ends inside a chunk", e.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_synthetic_run_reads_its_config_summary_removes_val_losses_lrs_and_step_keys()
    {
        string path = _tmp.File("run-syn1.wandb", Frame([
            RunRecord("syn1", "synthetic\nname", startingStep: 3),
            ItemsRecord(5, [("batch_size", "8"), ("acc_steps", "2"), ("sequence_length", "256"), ("n_layer", "2"), ("n_embd", "64"),
                // Old SDKs' {"desc", "value"}: unwrapped only when those are the object's only keys.
                ("opt", """{"value": "sgd", "other": 1}"""), ("optimizer", """{"desc": "the optimizer", "value": "adamw"}"""),
                ("lr", """{"desc": null, "value": 0.002}""")]),
            ItemsRecord(5, [("seq_len", "128")], "sequence_length"),
            ItemsRecord(3, [("parameters", "1000")]),
            ItemsRecord(3, [], "parameters"),
            // Rows with no _step and no step number: _step counts on from starting_step (3, 4, 5); iter comes before _step.
            HistoryRecord(null, ("iter", "10"), ("loss", "3.0"), ("lr", "0.001")),
            HistoryRecord(null, ("iter", "20"), ("loss", "2.5"), ("lr", "0.001"), ("val_loss", "2.7")),
            HistoryRecord(null, ("iter", "30"), ("loss", "2.0"), ("lr", "0.0005")),
        ]));
        var run = RunReader.Read(path, new RunReadOptions { InterpolateLr = true });
        Assert.Equal("synthetic?name", run.Name);
        Assert.Equal("step=iter, train=loss, val=val_loss, lr=lr", run.Metadata.Tags["keys"]);
        Assert.Equal([(10, 3.0, LossSplit.Train), (20, 2.5, LossSplit.Train), (20, 2.7, LossSplit.Validation), (30, 2.0, LossSplit.Train)],
            run.Observations.Select(o => (o.Step, o.Loss, o.Split)));
        Assert.Equal(30, run.Steps);
        Assert.Equal(0.0005, run.LearningRates[^1]);
        Assert.Equal(16, run.Metadata.BatchSize);
        Assert.Equal(128, run.Metadata.SequenceLength); // sequence_length removed, seq_len read
        Assert.Equal(16.0 * 128, run.Metadata.TokensPerStep);
        Assert.Equal("adamw", run.Metadata.Optimizer); // opt is no {desc, value} object, so not a string: optimizer is read
        Assert.Equal("0.002", run.Metadata.Tags["configLr"]);
        Assert.Equal(12.0 * 2 * 64 * 64, run.Metadata.Parameters); // summary.parameters removed: the estimate
        Assert.Equal("true", run.Metadata.Tags["parametersEstimated"]);

        var byStep = RunReader.Read(path, new RunReadOptions { InterpolateLr = true, StepColumn = "_step" });
        Assert.Equal([3, 4, 4, 5], byStep.Observations.Select(o => o.Step));
    }

    [Theory]
    [InlineData("batch_size", "\"abc\"", "config 'batch_size': expected a number, found the string \"abc\".")]
    [InlineData("batch_size", "0.5", "config 'batch_size': must be a whole number in 1..2147483647, found 0.5.")]
    [InlineData("n_layer", "0", "config 'n_layer', 'n_embd': n_layer=0 and n_embd=64 must be positive.")]
    public void Config_values_are_checked_as_the_exported_json_reader_checks_them(string key, string json, string expected)
    {
        var items = new List<(string, string)> { ("batch_size", "8"), ("n_layer", "2"), ("n_embd", "64") };
        items.RemoveAll(i => i.Item1 == key);
        items.Add((key, json));
        string path = _tmp.File("run-cfg.wandb", Frame([
            ItemsRecord(5, [.. items]),
            HistoryRecord(1, ("loss", "3.0")),
        ]));
        var e = Assert.Throws<RunFormatException>(() => RunReader.Read(path, Constant(1)));
        Assert.StartsWith("offset ", e.Location, StringComparison.Ordinal);
        Assert.EndsWith(expected, e.Location + ": " + e.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void W_and_bs_own_folder_reads_each_run_folder_once()
    {
        // wandb/: run-DATE-ID/ and offline-run-DATE-ID/, each with its run-ID.wandb, and the latest-run symlink to one of them.
        string wandb = Directory.CreateDirectory(_tmp.Combine("wandb")).FullName;
        string online = Directory.CreateDirectory(Path.Combine(wandb, "run-20260101_000000-tiny0001")).FullName;
        string offline = Directory.CreateDirectory(Path.Combine(wandb, "offline-run-20260102_000000-wm3live")).FullName;
        Directory.CreateDirectory(Path.Combine(wandb, "run-20260103_000000-empty")); // no .wandb: not a run folder
        File.Copy(Data("run-tiny0001.wandb"), Path.Combine(online, "run-tiny0001.wandb"));
        File.Copy(Data("run-wm3live.wandb"), Path.Combine(offline, "run-wm3live.wandb"));
        File.WriteAllText(Path.Combine(wandb, "debug.log"), "not a run\n");
        Directory.CreateSymbolicLink(Path.Combine(wandb, "latest-run"), offline);
        foreach (bool recursive in new[] { false, true })
        {
            var set = RunReader.ReadDirectory(wandb, Constant(49), recursive);
            Assert.Empty(set.Failures);
            Assert.Equal(2, set.Runs.Count);
            Assert.Equal(2, set.Runs.Select(r => r.Metadata.Source).Distinct().Count());
            Assert.Contains(set.Runs, r => r.Name == "single-tiny-run");
        }
    }

    [Fact]
    public void Reframing_the_decoded_records_gives_back_the_files_bytes()
    {
        // The framing read here, written back by the writer's rules, is byte for byte the file W&B wrote (blocks, padding, fragments).
        foreach (string path in new[] { Data("run-274fsr9r.wandb"), Pmdnt7a3() })
        {
            byte[] bytes = File.ReadAllBytes(path);
            var log = WandbLog.Read(path, bytes);
            Assert.Null(log.TornAt);
            Assert.Equal(bytes, Frame(log.Records.Select(r => r.Data)));
        }
    }

    [Fact]
    public void Mutated_records_with_valid_crcs_fail_in_one_line_or_read()
    {
        // Mutations of the protobuf records themselves, re-framed with correct CRCs so that the parser, not the CRC, meets them.
        string path = Data("run-tiny0001.wandb");
        var records = WandbLog.Read(path, File.ReadAllBytes(path)).Records.Select(r => r.Data).ToList();
        var rng = new Random(29001);
        string copy = _tmp.Combine("mutated.wandb");
        for (int i = 0; i < 300; i++)
        {
            var mutated = records.ToList();
            int k = rng.Next(mutated.Count);
            mutated[k] = Hostile.Mutation.Mutate(mutated[k], rng);
            File.WriteAllBytes(copy, Frame(mutated));
            try
            {
                RunReader.Read(copy, Constant(49));
            }
            catch (RunFormatException e)
            {
                Assert.StartsWith(copy + ":offset ", e.Message, StringComparison.Ordinal);
                Assert.DoesNotContain('\n', e.Message);
            }
        }
    }
}
