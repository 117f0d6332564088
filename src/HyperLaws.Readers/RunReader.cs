using HyperLaws.Runs;

namespace HyperLaws.Readers;

/// <summary>
/// Reads any supported run log, picking the reader by name and content:
/// <c>events.out.tfevents.*</c> TensorBoard; W&amp;B's binary run file <c>run-ID.wandb</c> (<see cref="WandbRunFileReader"/>, by its
/// <c>:W&amp;B</c> header); <c>.jsonl</c> generic JSONL; <c>.json</c> Hugging Face
/// <c>trainer_state.json</c> (<see cref="TrainerStateReader"/>; a Trainer output folder reads its latest state) or W&amp;B export;
/// <c>.csv</c> W&amp;B UI or <c>run.history()</c> CSV export (or any CSV with named columns, <see cref="ExportedCsvReader"/>),
/// AlgoPerf <c>eval_measurements.csv</c> (<see cref="AlgoPerfReader"/>, by its header), PyTorch Lightning <c>CSVLogger</c> <c>metrics.csv</c> (<see cref="LightningCsvReader"/>, by its header), MPL curve (file named
/// like <c>cosine_24000.csv</c>) or generic CSV; <c>.log</c>, <c>.txt</c>, <c>.out</c>/<c>.err</c> (a Slurm job's stdout/stderr) or no extension: an llm.c
/// <c>main.log</c> (<see cref="LlmcLogReader"/>), a modded-nanogpt speedrun log (<see cref="SpeedrunLogReader"/>), a Megatron-LM /
/// Megatron-DeepSpeed training log (<see cref="MegatronLogReader"/>), a fairseq JSON-format log (<see cref="FairseqLogReader"/>) or a
/// torchtitan console log (<see cref="TorchtitanLogReader"/>), a NeMo 2.0 console log (<see cref="NemoLogReader"/>), a MaxText console log (<see cref="MaxtextLogReader"/>), a nanoGPT stdout log (<see cref="NanoGptLogReader"/>) or an MLPerf Training
/// result log (<see cref="MlperfLogReader"/>) by content
/// (another <c>.txt</c> goes on to the CSV readers). The Step Law sweep
/// table is not a run: read it with <see cref="ReadSweep"/>.
/// </summary>
public static class RunReader
{
    /// <summary>Reads one run log with the reader its name and content call for (see the type's summary).</summary>
    /// <exception cref="RunFormatException">The path is a directory or missing, the format is unknown, the file is a sweep table, or the chosen reader refuses it.</exception>
    public static TrainingRun Read(string path, RunReadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (Directory.Exists(path))
        {
            if (TrainerStateReader.FindInFolder(path) is { } state) return TrainerStateReader.Read(state, options);
            var mlflowRuns = MlflowReader.FindRuns(path);
            if (mlflowRuns.Count == 1) return MlflowReader.Read(mlflowRuns[0], options);
            if (mlflowRuns.Count > 1)
                throw new RunFormatException(path, "0", $"holds {mlflowRuns.Count} MLflow runs: give one run folder (mlruns/EXPERIMENT/RUN) where one run is read (import); fit, plan and the other commands read the whole folder.");
            throw new RunFormatException(path, "0", "is a directory, not a run file: give one run's file where one run is read (import); fit, plan and the other commands read whole folders.");
        }
        if (!File.Exists(path)) throw new RunFormatException(path, "0", "no such file.");
        string ext = Path.GetExtension(path).ToLowerInvariant();
        if (TensorBoardReader.Recognizes(path)) return TensorBoardReader.Read(path, options);
        // W&B's binary run file by its header (':W&B'), whatever its name; a .wandb without that header is named as such by the reader.
        if (ext == ".wandb" || WandbRunFileReader.Recognizes(path)) return WandbRunFileReader.Read(path, options);
        if (ext is ".log" or ".txt" or "" or ".out" or ".err")
        {
            if (LlmcLogReader.Recognizes(path)) return LlmcLogReader.Read(path, options);
            if (SpeedrunLogReader.Recognizes(path)) return SpeedrunLogReader.Read(path, options);
            if (MegatronLogReader.Recognizes(path)) return MegatronLogReader.Read(path, options);
            if (FairseqLogReader.Recognizes(path)) return FairseqLogReader.Read(path, options);
            if (TorchtitanLogReader.Recognizes(path)) return TorchtitanLogReader.Read(path, options);
            if (NemoLogReader.Recognizes(path)) return NemoLogReader.Read(path, options);
            if (MaxtextLogReader.Recognizes(path)) return MaxtextLogReader.Read(path, options);
            if (NanoGptLogReader.Recognizes(path)) return NanoGptLogReader.Read(path, options);
            if (MlperfLogReader.Recognizes(path)) return MlperfLogReader.Read(path, options);
            if (ext is ".log" or ".out" or ".err")
                throw new RunFormatException(path, "1", "a " + ext + " file that is neither an llm.c main.log ('s:K trl:X') nor a log of modded-nanogpt ('step:K/S train_loss:X'), Megatron (' iteration K/ N | ... | lm loss: X |'), fairseq ('| train_inner | {...}'), torchtitan ('step: K  loss: X'), NeMo 2.0 ('global_step: G | reduced_train_loss: X'), MaxText ('completed step: K, ..., loss: X'), nanoGPT ('iter K: loss X') or MLPerf (':::MLLOG {...}'); docs/RUN-FORMATS.md shows each.");
        }
        switch (ext)
        {
            case ".jsonl" or ".ndjson":
                return GenericRunReader.ReadJsonl(path, options);
            case ".json":
                if (TrainerStateReader.Recognizes(path)) return TrainerStateReader.Read(path, options);
                if (!WandbReader.Recognizes(path))
                    throw new RunFormatException(path, "1", "a .json file that is not a W&B export (no \"config\"/\"history\") nor a Hugging Face trainer_state.json (no \"log_history\"/\"global_step\"); the generic format is JSONL (.jsonl).");
                return WandbReader.Read(path, options);
            case ".csv" or ".tsv" or ".txt":
                if (SteplawReader.Recognizes(path))
                    throw new RunFormatException(path, "1", SweepTableIsNoRun);
                bool columnsNamed = options is { StepColumn: not null } or { LossColumn: not null } or { LrColumn: not null };
                if (!columnsNamed && AlgoPerfReader.Recognizes(path)) return AlgoPerfReader.Read(path, options);
                if (!columnsNamed && LightningCsvReader.Recognizes(path)) return LightningCsvReader.Read(path, options);
                if (columnsNamed && Internal.BoundedText.FirstLine(path) is { } first && first.TrimStart().StartsWith('#'))
                    throw new RunFormatException(path, 1, "starts with '#' metadata lines (the generic run format, read by its column names step, loss, lr): --step-column, --loss-column, --lr-column and --metric are for a table whose first line is its header.");
                if (ExportedCsvReader.Recognize(path) is not null || columnsNamed)
                    return ExportedCsvReader.Read(path, options);
                if (MplCsvReader.Recognizes(path) && HeaderIs(path, "step,lr,loss")) return MplCsvReader.Read(path, options);
                return GenericRunReader.ReadCsv(path, options);
            case ".tex":
                throw new RunFormatException(path, "0", MarinTableIsNoRun);
            default:
                throw new RunFormatException(path, "0", $"unknown run format '{ext}' (supported: .csv, .jsonl, .json W&B exports and trainer_state.json, W&B run files (run-ID.wandb), events.out.tfevents.*, llm.c main.log, modded-nanogpt .txt, Megatron, fairseq, torchtitan, NeMo 2.0, MaxText and nanoGPT .log logs, also as Slurm .out/.err).");
        }
    }

    /// <summary>What a user is told who gives a Step Law sweep table (final losses, no curves) where runs are read.</summary>
    public const string SweepTableIsNoRun = "a sweep table of final losses (Step Law's format), not a training run with a loss curve: "
        + "hyperlaws optimum --sweep FILE fits the LR/batch rule on it, hyperlaws diverge --fit --runs FILE a divergence boundary.";

    /// <summary>What a user is told who gives a LaTeX table (Marin's optimizer-sweep ablations) where runs or a Step Law sweep are read.</summary>
    public const string MarinTableIsNoRun = "a LaTeX table, not a run nor a Step Law sweep CSV: Marin's optimizer-sweep ablation tables "
        + "(final losses per peak LR, no curves) are read only by hyperlaws validate --protocol 20, 22 or 23 --data DIR, with DIR the folder "
        + "benchmarks/foreign-runs-marin/fetch.sh DIR writes (the tables with their manifest.json), not a folder of .tex files alone.";

    /// <summary>A sweep table of final losses (the Step Law format).</summary>
    public static SweepTable ReadSweep(string path, RunReadOptions? options = null) => SteplawReader.Read(path, options);

    /// <summary>
    /// Reads every run file of a directory (optionally its subdirectories, each read on its own): W&amp;B
    /// exports are stitched to their parents within their directory; a Hugging Face Trainer output folder (its own
    /// trainer_state.json or checkpoint-N/trainer_state.json) is one run, its latest state (its checkpoint-N subfolders are
    /// not read again); an MLflow file store (the mlruns root, an experiment or a run folder given as <paramref name="dir"/>) gives
    /// one run per run folder (<see cref="MlflowReader"/>); W&amp;B's own folder (<c>wandb/</c>) gives the run of each <c>run-*/</c> and
    /// <c>offline-run-*/</c> subfolder holding a <c>.wandb</c> file. Unreadable files are listed in
    /// <see cref="RunSet.Failures"/>; other files (READMEs, .npy, sweep tables, and the LR table <c>hyperlaws import</c> writes beside
    /// its run file RUN.csv as RUN.lr.csv: see <see cref="IsImportedLrTable"/>) are skipped.
    /// </summary>
    public static RunSet ReadDirectory(string dir, RunReadOptions? options = null, bool recursive = false)
    {
        if (!Directory.Exists(dir)) throw new DirectoryNotFoundException($"{dir}: no such directory.");
        var runs = new List<TrainingRun>();
        var failures = new List<RunFormatException>();
        // W&B's own folder (wandb/): each run in a subfolder run-DATE-ID/ or offline-run-DATE-ID/ holding its run-ID.wandb, read
        // without --recursive too; a symlink to a folder read anyway (W&B's latest-run) is skipped, so that no run counts twice.
        var dirs = recursive ? new[] { dir }.Concat(Directory.EnumerateDirectories(dir, "*", SearchOption.AllDirectories)).ToList() : [dir, .. WandbRunFolders(dir)];
        var listed = dirs.Where(d => new DirectoryInfo(d).LinkTarget is null).Select(Path.GetFullPath).ToHashSet(StringComparer.Ordinal);
        dirs = [.. dirs.Where(d => d == dir || new DirectoryInfo(d).ResolveLinkTarget(returnFinalTarget: true) is not { } t || !listed.Contains(Path.GetFullPath(t.FullName)))];
        var hfFolders = new HashSet<string>(StringComparer.Ordinal);
        // MLflow: the folder itself may be an mlruns root, an experiment or a run; its run folders are runs, not read again below.
        var mlflowRuns = new List<string>(MlflowReader.FindRuns(dir));
        void ReadMlflow(string run)
        {
            try
            {
                runs.Add(MlflowReader.Read(run, options));
            }
            catch (RunFormatException e)
            {
                failures.Add(e);
            }
        }
        foreach (string run in mlflowRuns) ReadMlflow(run);
        foreach (var d in dirs.Order(StringComparer.Ordinal))
        {
            if (mlflowRuns.Any(r => d == r || d.StartsWith(r + Path.DirectorySeparatorChar, StringComparison.Ordinal))) continue;
            if (MlflowReader.IsRunFolder(d))
            {
                // a run folder met while recursing (an mlruns tree below the folder given): one run, its subfolders not read again
                mlflowRuns.Add(d);
                ReadMlflow(d);
                continue;
            }
            string? parent = Path.GetDirectoryName(d);
            if (parent is not null && hfFolders.Contains(parent) && Path.GetFileName(d).StartsWith("checkpoint-", StringComparison.Ordinal)) continue;
            if (TrainerStateReader.FindInFolder(d) is { } state)
            {
                hfFolders.Add(d);
                try
                {
                    runs.Add(TrainerStateReader.Read(state, options));
                }
                catch (RunFormatException e)
                {
                    failures.Add(e);
                }
            }
            var files = Directory.EnumerateFiles(d).Order(StringComparer.Ordinal).ToList();
            if (files.Any(f => f.EndsWith(".json", StringComparison.OrdinalIgnoreCase) && WandbReader.Recognizes(f)))
            {
                var set = WandbReader.ReadDirectory(d, options);
                runs.AddRange(set.Runs);
                failures.AddRange(set.Failures);
            }
            foreach (var f in files)
            {
                string ext = Path.GetExtension(f).ToLowerInvariant();
                bool isRun = TensorBoardReader.Recognizes(f) || ext is ".jsonl" or ".ndjson" or ".wandb" || (ext == ".csv" && !SteplawReader.Recognizes(f) && !IsImportedLrTable(f, files))
                    || (ext is ".log" or ".txt" or ".out" or ".err" && (LlmcLogReader.Recognizes(f) || SpeedrunLogReader.Recognizes(f) || MegatronLogReader.Recognizes(f) || FairseqLogReader.Recognizes(f)
                        || TorchtitanLogReader.Recognizes(f) || NemoLogReader.Recognizes(f) || MaxtextLogReader.Recognizes(f) || NanoGptLogReader.Recognizes(f) || MlperfLogReader.Recognizes(f)))
                    || (ext == ".json" && !string.Equals(Path.GetFileName(f), TrainerStateReader.FileName, StringComparison.OrdinalIgnoreCase) && TrainerStateReader.Recognizes(f));
                if (!isRun) continue;
                try
                {
                    runs.Add(Read(f, options));
                }
                catch (RunFormatException e)
                {
                    failures.Add(e);
                }
            }
        }
        return new RunSet(runs, failures);
    }

    /// <summary>The subfolders of <paramref name="dir"/> that W&amp;B writes per run (<c>run-*</c>, <c>offline-run-*</c>) holding a <c>.wandb</c> file.</summary>
    private static IEnumerable<string> WandbRunFolders(string dir) =>
        Directory.EnumerateDirectories(dir)
            .Where(d => Path.GetFileName(d) is var n && (n.StartsWith("run-", StringComparison.Ordinal) || n.StartsWith("offline-run-", StringComparison.Ordinal)))
            .Where(d => Directory.EnumerateFiles(d, "*.wandb").Any());

    /// <summary>
    /// True for the per-step LR table that <c>hyperlaws import --out RUN.ext</c> writes beside its run as RUN.lr.csv (header
    /// <c>step,lr</c>), the run file being among <paramref name="folder"/>'s files: the run's schedule, not a run. A <c>step,lr</c>
    /// CSV without such a run beside it is still read as a run (and named as broken: it has no loss column).
    /// </summary>
    private static bool IsImportedLrTable(string path, IReadOnlyList<string> folder) =>
        path.EndsWith(".lr.csv", StringComparison.OrdinalIgnoreCase) && HeaderIs(path, "step,lr")
        && folder.Any(f => !string.Equals(f, path, StringComparison.Ordinal)
            && string.Equals(Path.ChangeExtension(f, null) + ".lr.csv", path, StringComparison.Ordinal));

    private static bool HeaderIs(string path, string header)
    {
        return string.Equals(Internal.BoundedText.FirstLine(path)?.Trim().Replace(" ", ""), header, StringComparison.OrdinalIgnoreCase);
    }
}
