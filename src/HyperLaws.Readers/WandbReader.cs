using System.Globalization;
using System.Text.Json;
using HyperLaws.Readers.Internal;
using HyperLaws.Runs;

namespace HyperLaws.Readers;

/// <summary>
/// W&amp;B JSON exports of llm-baselines runs (the lr-scheduling 124M grid): <c>config</c>, <c>summary</c>,
/// and <c>history.{train,val,final-val}</c> as columns (<c>iter</c> plus one array per metric).
/// <para>Conventions, from llm-baselines' training loop and checked against every bundled file:</para>
/// <list type="bullet">
/// <item><c>iter</c> counts completed optimizer updates: it is 0 before the first update (the first
/// validation is logged at iter 0, the first train entry at iter 50).</item>
/// <item>The train entry at iter k is logged right after update k and after <c>scheduler.step()</c>:
/// its <c>train_loss</c> is the minibatch loss computed before update k (after k - 1 updates), so it
/// becomes the observation at step k - 1; its <c>train_lr</c> is the LR that update k + 1 will use,
/// eta_{k+1} = lr f(k). The LR of update s (1-based) is eta_s = lr f(s - 1).</item>
/// <item><c>val_loss</c> at iter k is evaluated after k updates (step k; on <c>eval_batches</c> = 32
/// batches). Iter 0 (the untrained model) is kept in the tag <c>initialValLoss</c>. <c>final-val</c>
/// is evaluated on the full validation set, a different estimator, so it goes to the tags
/// <c>finalValLoss</c>/<c>finalValStep</c>, not into the curve.</item>
/// <item>f for <c>scheduler=wsd</c>: k/W + (1 - k/W)/100 during the warmup (starting at lr/100), 1 until
/// S - floor(fract S), then the <c>decay_type</c> cooldown to <c>wsd_final_lr_scale</c>. For
/// <c>scheduler=cos</c>: PyTorch's OneCycleLR (cosine warmup from lr/100 over W - 1 steps, cosine to
/// <c>cos_final_lr</c>, or to lr/10 when that is &lt;= 0).</item>
/// <item>Lists are not sorted, and a run that crashed and resumed from a checkpoint logs the re-run
/// iters twice, with slightly different values. The entries are split into the file's increasing
/// runs (segments); for an iter logged with different values the entry of the segment that went on
/// furthest (the trajectory that continued) is kept; the count is in the tag <c>resumeConflicts</c>.
/// With <see cref="RunReadOptions.StrictDuplicates"/> such a conflict is an error instead.</item>
/// <item><c>ann124-*</c> runs resume from a checkpoint (<c>config.resume_from = .../&lt;parent&gt;/ckpts/N</c>)
/// of a constant-LR <c>stable-*</c> run and log only iters after N; they are stitched to that parent
/// (same directory, same LR, batch, model, seeds): the parent's entries up to iter N, then the
/// cooldown run's. The parent's validation loss at N must equal the child's, and the schedules must
/// agree on steps 1..N. Runs with N = 0 are complete by themselves.</item>
/// <item>Tokens per step = batch_size x acc_steps x world_size x sequence_length (llm-baselines counts
/// <c>tokens = world_size x substep x sequence_length x batch_size</c> with one substep per
/// accumulation step). Parameters: <c>summary.parameters</c> (all parameters, embeddings included)
/// when present, else 12 n_layer n_embd^2 tagged <c>parametersEstimated=true</c>.</item>
/// <item>The <c>grad_norm</c> column of the grad_norm/ reruns is ignored (the run model has no place
/// for it); those files are otherwise ordinary runs and read the same way.</item>
/// </list>
/// </summary>
public static class WandbReader
{
    /// <summary>
    /// The largest relative difference between a cooldown run's validation loss at its branch point and its parent's there
    /// (the same checkpoint, evaluated by two jobs) that is read as the same checkpoint: 1e-4. The 124M grid's pairs agree
    /// to 1e-6; the exports of protocol 17 (other sizes, OpenWebText2) differ by up to 1.5e-5 at their branch points.
    /// </summary>
    public const double BranchValTolerance = 1e-4;

    private static readonly string[] IdentityKeys =
    [
        "lr", "warmup_steps", "batch_size", "acc_steps", "world_size", "sequence_length", "n_layer", "n_embd",
        "n_head", "seed", "data_seed", "dataset", "model", "opt", "beta1", "beta2", "weight_decay", "grad_clip",
    ];

    /// <summary>True when the file looks like a W&amp;B export (a JSON object with config and history).</summary>
    public static bool Recognizes(string path)
    {
        if (!string.Equals(Path.GetExtension(path), ".json", StringComparison.OrdinalIgnoreCase)) return false;
        try
        {
            using var fs = File.OpenRead(path);
            var buf = new byte[4096];
            int n = fs.Read(buf, 0, buf.Length);
            string head = System.Text.Encoding.UTF8.GetString(buf, 0, n);
            if (head.Contains("\"config\"", StringComparison.Ordinal) || head.Contains("\"history\"", StringComparison.Ordinal)) return true;
            // A summary full of histograms can push both keys past the first 4 KiB (the 210M exports of lr-scheduling, protocol 17):
            // then the object's top-level keys decide, parsed as Read parses them (JsonText: Python's bare NaN/Infinity accepted).
            if (!head.TrimStart().StartsWith('{')) return false;
            fs.Close();
            using var doc = JsonText.ReadFile(path);
            return doc.RootElement.ValueKind == JsonValueKind.Object
                && (doc.RootElement.TryGetProperty("config", out _) || doc.RootElement.TryGetProperty("history", out _));
        }
        catch (IOException)
        {
            return false;
        }
        catch (RunFormatException)
        {
            return false;
        }
    }

    /// <summary>
    /// Reads one export. A cooldown run that branched from a checkpoint N &gt; 0 is stitched to its parent,
    /// looked up among the .json files of the same directory (an error names what is missing).
    /// </summary>
    public static TrainingRun Read(string path, RunReadOptions? options = null)
    {
        options ??= RunReadOptions.Default;
        var file = WandbFile.Parse(path, options);
        if (file.BranchIter is not > 0) return Assemble(file, null, options);
        string dir = Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".";
        var candidates = new List<WandbFile>();
        var unreadable = new List<RunFormatException>();
        foreach (var other in Directory.EnumerateFiles(dir, "*.json"))
        {
            if (Path.GetFullPath(other) == Path.GetFullPath(path)) continue;
            try
            {
                var o = WandbFile.Parse(other, options);
                if (IsParentCandidate(file, o)) candidates.Add(o);
            }
            catch (RunFormatException e)
            {
                // Unreadable siblings are not this file's problem unless one of them is the parent.
                unreadable.Add(e);
            }
        }
        return Assemble(file, FindParent(file, candidates, unreadable), options);
    }

    /// <summary>Reads one export, stitching it to the given parent export.</summary>
    public static TrainingRun Read(string path, string parentPath, RunReadOptions? options = null)
    {
        options ??= RunReadOptions.Default;
        var file = WandbFile.Parse(path, options);
        var parent = WandbFile.Parse(parentPath, options);
        return Assemble(file, file.BranchIter is > 0 ? FindParent(file, [parent]) : null, options);
    }

    /// <summary>
    /// Reads every .json export of a directory (not its subdirectories), stitching cooldown runs to their
    /// parents. Files that fail (a missing parent included) are listed in <see cref="RunSet.Failures"/>.
    /// </summary>
    public static RunSet ReadDirectory(string dir, RunReadOptions? options = null)
    {
        options ??= RunReadOptions.Default;
        if (!Directory.Exists(dir)) throw new DirectoryNotFoundException($"{dir}: no such directory.");
        var parsed = new List<WandbFile>();
        var failures = new List<RunFormatException>();
        foreach (var path in Directory.EnumerateFiles(dir, "*.json").Order(StringComparer.Ordinal))
        {
            try
            {
                parsed.Add(WandbFile.Parse(path, options));
            }
            catch (RunFormatException e)
            {
                failures.Add(e);
            }
        }
        var runs = new List<TrainingRun>();
        foreach (var f in parsed)
        {
            try
            {
                var parent = f.BranchIter is > 0 ? FindParent(f, parsed.Where(p => IsParentCandidate(f, p) && p != f).ToList(), failures) : null;
                runs.Add(Assemble(f, parent, options));
            }
            catch (RunFormatException e)
            {
                failures.Add(e);
            }
        }
        return new RunSet(runs, failures);
    }

    /// <summary>
    /// A possible parent: its run prefix is the one the child's <c>resume_from</c> names, or its run name is that
    /// checkpoint's run itself (the horizon-extension runs of data/horizon_transfer resume from a run with no prefix).
    /// </summary>
    private static bool IsParentCandidate(WandbFile child, WandbFile p) => p.Prefix == child.ParentPrefix || p.Name == child.ParentName;

    private static WandbFile FindParent(WandbFile child, IReadOnlyList<WandbFile> candidates, IReadOnlyList<RunFormatException>? unreadable = null)
    {
        var matching = candidates.Where(p => IsParentCandidate(child, p)
            && p.Iterations >= child.BranchIter
            && IdentityKeys.All(k => child.Identity.GetValueOrDefault(k) == p.Identity.GetValueOrDefault(k))).ToList();
        if (matching.Count > 1)
        {
            var exact = matching.Where(p => p.Name == child.ParentName).ToList();
            if (exact.Count == 1) return exact[0];
            throw new RunFormatException(child.Path, "config.resume_from",
                $"{matching.Count} candidate parents match ({string.Join(", ", matching.Select(m => Path.GetFileName(m.Path)))}); cannot tell which one this run branched from.");
        }
        // A parent that is there but corrupt is the parent's fault: name that file and its problem, not the child.
        if (matching.Count == 0 && child.ParentName is { } parentName
            && unreadable?.FirstOrDefault(e => Path.GetFileNameWithoutExtension(e.File).Contains(parentName, StringComparison.Ordinal)) is { } broken)
            throw new RunFormatException(broken.File, broken.Location,
                $"{broken.Problem} (this export is the parent that {Path.GetFileName(child.Path)} resumes from at checkpoint {child.BranchIter})", broken);
        if (matching.Count == 0)
            throw new RunFormatException(child.Path, "config.resume_from",
                $"parent run missing: this run resumes from checkpoint {child.BranchIter} of '{child.ParentName}', and no '{child.ParentPrefix}' export with lr={child.Identity.GetValueOrDefault("lr")} and the same batch, model and seeds is in {Path.GetDirectoryName(Path.GetFullPath(child.Path))} (without it only the cooldown segment from iter {child.BranchIter} on is known).");
        return matching[0];
    }

    private static TrainingRun Assemble(WandbFile f, WandbFile? parent, RunReadOptions options)
    {
        var raw = new List<RawObservation>();
        var tags = new Dictionary<string, string>(f.Tags);
        int conflicts = f.ResumeConflicts;
        if (parent is not null)
        {
            int n = f.BranchIter!.Value;
            for (int k = 0; k < n; k++)
            {
                double a = parent.LrAfter[k], b = f.LrAfter[k];
                if (Math.Abs(a - b) > options.LrRelativeTolerance * Math.Max(Math.Abs(a), Math.Abs(b)))
                    throw new RunFormatException(f.Path, "config",
                        $"the schedule disagrees with the parent {Path.GetFileName(parent.Path)} before the branch point {n}: step {k + 1} has LR {RunAssembly.Fmt(b)} here and {RunAssembly.Fmt(a)} there.");
            }
            var childVal = f.Entries.Where(e => e.Split == LossSplit.Validation && e.Iter == n).ToList();
            var parentVal = parent.Entries.Where(e => e.Split == LossSplit.Validation && e.Iter == n).ToList();
            // Relative tolerance BranchValTolerance: the checkpoint evaluated again by the resumed job differs by up to 1.5e-5 (bf16,
            // 32 validation batches) in the lr-scheduling exports outside the 124M grid (protocol 17); another run's loss differs by far more.
            if (childVal.Count == 1 && parentVal.Count == 1
                && Math.Abs(childVal[0].Loss - parentVal[0].Loss) > BranchValTolerance * Math.Abs(parentVal[0].Loss))
                throw new RunFormatException(f.Path, childVal[0].Where,
                    $"validation loss at the branch point {n} is {RunAssembly.Fmt(childVal[0].Loss)}, but the parent {Path.GetFileName(parent.Path)} has {RunAssembly.Fmt(parentVal[0].Loss)}: not the same checkpoint.");
            raw.AddRange(parent.Entries.Where(e => e.Iter <= n).Select(e => e.ToRaw(parent.Path)));
            raw.AddRange(f.Entries.Where(e => e.Iter > n).Select(e => e.ToRaw(null)));
            tags["branchedFrom"] = Path.GetFileNameWithoutExtension(parent.Path);
            tags["branchStep"] = n.ToString(CultureInfo.InvariantCulture);
            conflicts += parent.Entries.Count(e => e.Iter <= n && e.Conflict);
            if (parent.Tags.TryGetValue("initialValLoss", out var iv)) tags["initialValLoss"] = iv;
        }
        else
        {
            raw.AddRange(f.Entries.Select(e => e.ToRaw(null)));
        }
        tags[RunNote.ResumeConflictsTag] = conflicts.ToString(CultureInfo.InvariantCulture);
        var lrs = new double[f.Iterations];
        Array.Copy(f.LrAfter, lrs, f.Iterations);
        var meta = f.Metadata with { Tags = tags };
        return RunAssembly.Build(f.Path, meta, lrs, raw, options.DivergenceFactor);
    }

    /// <summary>One history entry after sorting and de-duplication.</summary>
    internal readonly record struct Entry(int Iter, int Step, double Loss, LossSplit Split, string Where, bool Conflict)
    {
        public RawObservation ToRaw(string? otherFile) =>
            new(Step, Loss, Split, otherFile is null ? Where : $"{Where} of {Path.GetFileName(otherFile)}");
    }

    /// <summary>One export, parsed and checked, before stitching.</summary>
    internal sealed class WandbFile
    {
        public required string Path { get; init; }
        public required string Name { get; init; }
        public required string Prefix { get; init; }
        public required int Iterations { get; init; }

        /// <summary>lr f(k) for k = 0..Iterations: the LR after k scheduler steps (eta_{k+1}).</summary>
        public required double[] LrAfter { get; init; }

        public required List<Entry> Entries { get; init; }
        public required Dictionary<string, string> Identity { get; init; }
        public required RunMetadata Metadata { get; init; }
        public required Dictionary<string, string> Tags { get; init; }
        public int ResumeConflicts { get; init; }
        public int? BranchIter { get; init; }
        public string? ParentName { get; init; }
        public string? ParentPrefix { get; init; }

        public static WandbFile Parse(string path, RunReadOptions options)
        {
            using var doc = JsonText.ReadFile(path);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw new RunFormatException(path, "$", "expected a JSON object with config and history.");
            var config = Obj(path, root, "config", "config");
            var history = Obj(path, root, "history", "history");

            double lr = PositiveNumber(path, config, "lr");
            int iterations = Int(path, config, "iterations", options.MaxStep, 1);
            int warmup = Int(path, config, "warmup_steps", iterations, 0);
            string scheduler = Str(path, config, "scheduler");
            var f = ScheduleFactor(path, config, scheduler, iterations, warmup, lr);
            var lrAfter = new double[iterations + 1];
            for (int k = 0; k <= iterations; k++)
            {
                lrAfter[k] = lr * f(k);
                if (!double.IsFinite(lrAfter[k]) || lrAfter[k] < 0)
                    throw new RunFormatException(path, "config", $"the schedule gives LR {RunAssembly.Fmt(lrAfter[k])} at step {k + 1}.");
            }

            var tags = new Dictionary<string, string>
            {
                ["dataset"] = OptStr(config, "dataset") ?? "",
                ["scheduler"] = scheduler,
                ["lr"] = RunAssembly.Fmt(lr),
                ["iterations"] = iterations.ToString(CultureInfo.InvariantCulture),
                ["warmupSteps"] = warmup.ToString(CultureInfo.InvariantCulture),
                ["lrLogConvention"] = "train_lr at iter k is eta_{k+1}; train_loss at iter k is step k-1",
            };
            if (scheduler == "wsd")
            {
                tags["decayType"] = OptStr(config, "decay_type") ?? "linear";
                tags["cooldownFraction"] = RunAssembly.Fmt(OptNum(config, "wsd_fract_decay") ?? 0);
            }
            string name = root.TryGetProperty("name", out var nm) && nm.ValueKind == JsonValueKind.String
                ? nm.GetString()! : System.IO.Path.GetFileNameWithoutExtension(path);
            string prefix = OptStr(config, "wandb_run_prefix") ?? name.Split('_')[0];
            tags["family"] = prefix;

            int conflicts = 0;
            var entries = new List<Entry>();
            var loggedLrs = new List<LoggedLr>();
            if (history.TryGetProperty("train", out var train))
                conflicts += ReadSplit(path, train, "history.train", "train_loss", "train_lr", LossSplit.Train, iterations, options, entries, loggedLrs);
            else throw new RunFormatException(path, "history", "missing history.train.");
            if (history.TryGetProperty("val", out var val))
                conflicts += ReadSplit(path, val, "history.val", "val_loss", null, LossSplit.Validation, iterations, options, entries, loggedLrs);
            if (entries.Count == 0) throw new RunFormatException(path, "history", "no losses logged.");
            RunAssembly.CheckLoggedLrs(path, lrAfter, loggedLrs, options.LrRelativeTolerance, $"the {scheduler} schedule of the config");

            var initial = entries.Where(e => e.Split == LossSplit.Validation && e.Iter == 0).ToList();
            if (initial.Count == 1) tags["initialValLoss"] = RunAssembly.Fmt(initial[0].Loss);
            entries.RemoveAll(e => e.Step == 0 && e.Split == LossSplit.Validation);
            if (history.TryGetProperty("final-val", out var fv) && fv.ValueKind == JsonValueKind.Object
                && fv.TryGetProperty("final_val_loss", out var fvl) && fvl.ValueKind == JsonValueKind.Array && fvl.GetArrayLength() > 0
                && fv.TryGetProperty("iter", out var fvi) && fvi.ValueKind == JsonValueKind.Array && fvi.GetArrayLength() == fvl.GetArrayLength())
            {
                // The evaluation at the largest iteration (the last of the list on a tie): a resumed run's list is not in step order
                // (lr-scheduling's sp-360m-cos-lr0.001-37500 holds iters [37500, 25000], its final evaluation the first).
                int last = 0;
                for (int i = 1; i < fvi.GetArrayLength(); i++)
                    if (JsonText.Number(path, fvi[i], $"history.final-val.iter[{i}]") >= JsonText.Number(path, fvi[last], $"history.final-val.iter[{last}]")) last = i;
                tags["finalValLoss"] = RunAssembly.Fmt(JsonText.Number(path, fvl[last], $"history.final-val.final_val_loss[{last}]"));
                tags["finalValStep"] = RunAssembly.Fmt(JsonText.Number(path, fvi[last], $"history.final-val.iter[{last}]"));
            }

            var identity = new Dictionary<string, string>();
            foreach (var k in IdentityKeys)
                if (config.TryGetProperty(k, out var v)) identity[k] = v.GetRawText();

            int? branch = null;
            string? parentName = null, parentPrefix = null;
            if (OptStr(config, "resume_from") is { Length: > 0 } resume)
            {
                var parts = resume.Replace('\\', '/').TrimEnd('/').Split('/');
                if (parts.Length < 3 || parts[^2] != "ckpts" || !int.TryParse(parts[^1], NumberStyles.None, CultureInfo.InvariantCulture, out int n))
                    throw new RunFormatException(path, "config.resume_from", $"cannot read the branch point from '{resume}' (expected .../<run>/ckpts/<iter>).");
                if (n > iterations) throw new RunFormatException(path, "config.resume_from", $"branch point {n} is beyond the run's {iterations} iterations.");
                branch = n;
                parentName = parts[^3];
                parentPrefix = parentName.Split('_')[0];
                tags["branchStep"] = n.ToString(CultureInfo.InvariantCulture);
            }

            int batch = Int(path, config, "batch_size", int.MaxValue, 1);
            int acc = config.TryGetProperty("acc_steps", out _) ? Int(path, config, "acc_steps", int.MaxValue, 1) : 1;
            int ws = config.TryGetProperty("world_size", out _) ? Int(path, config, "world_size", int.MaxValue, 1) : 1;
            int seq = Int(path, config, "sequence_length", int.MaxValue, 1);
            double tokensPerStep = (double)batch * acc * ws * seq;
            double? summaryParameters = root.TryGetProperty("summary", out var summary) && summary.ValueKind == JsonValueKind.Object
                && summary.TryGetProperty("parameters", out var pe) && JsonText.TryNumber(pe, out double p) ? p : null;
            double? parameters = null;
            if (LlmBaselinesConfig.Parameters(path, summaryParameters, "summary.parameters", OptNum(config, "n_layer"), OptNum(config, "n_embd"), "config") is { } np)
            {
                parameters = np.Value;
                if (np.Estimated) tags[RunNote.SizeEstimatedTag] = "true";
                tags[RunNote.SizeSourceTag] = np.Source;
            }

            var meta = new RunMetadata(name)
            {
                Parameters = parameters,
                TokensPerStep = tokensPerStep,
                BatchSize = batch * acc * ws,
                SequenceLength = seq,
                TotalTokens = tokensPerStep * iterations,
                Optimizer = OptStr(config, "opt"),
                Schedule = null,
                Source = path,
            };
            return new WandbFile
            {
                Path = path,
                Name = name,
                Prefix = prefix,
                Iterations = iterations,
                LrAfter = lrAfter,
                Entries = entries,
                Identity = identity,
                Metadata = meta,
                Tags = tags,
                ResumeConflicts = conflicts,
                BranchIter = branch,
                ParentName = parentName,
                ParentPrefix = parentPrefix,
            };
        }

        /// <summary>Reads one history split; returns the number of resume conflicts resolved.</summary>
        private static int ReadSplit(string path, JsonElement split, string at, string lossKey, string? lrKey, LossSplit which,
            int iterations, RunReadOptions options, List<Entry> entries, List<LoggedLr> loggedLrs)
        {
            if (split.ValueKind != JsonValueKind.Object) throw new RunFormatException(path, at, $"expected an object of columns, found {JsonText.Describe(split)}.");
            var iters = Column(path, split, at, "iter");
            var losses = Column(path, split, at, lossKey);
            JsonElement? lrsCol = lrKey is null ? null : Column(path, split, at, lrKey);
            int n = iters.GetArrayLength();
            if (losses.GetArrayLength() != n) throw new RunFormatException(path, $"{at}.{lossKey}", $"has {losses.GetArrayLength()} entries but {at}.iter has {n} (truncated export?).");
            if (lrsCol is { } lc && lc.GetArrayLength() != n) throw new RunFormatException(path, $"{at}.{lrKey}", $"has {lc.GetArrayLength()} entries but {at}.iter has {n} (truncated export?).");

            // Segments: maximal increasing runs in file order; a segment's reach is its largest iter.
            var items = new List<(int Iter, double Loss, double Lr, int Seg, int Index)>(n);
            var reach = new List<int>();
            int prev = int.MinValue;
            for (int i = 0; i < n; i++)
            {
                string where = $"{at}[{i}]";
                int iter = CheckStep(path, where, JsonText.Number(path, iters[i], $"{at}.iter[{i}]"), iterations, options);
                if (which == LossSplit.Train && iter == 0) throw new RunFormatException(path, where, "a train entry at iter 0 (train entries are logged after an update).");
                double loss = JsonText.Number(path, losses[i], $"{at}.{lossKey}[{i}]");
                double lr = double.NaN;
                if (lrsCol is { } col)
                {
                    lr = JsonText.Number(path, col[i], $"{at}.{lrKey}[{i}]");
                    RunAssembly.CheckLrValue(path, where, lr);
                }
                if (iter <= prev || reach.Count == 0) reach.Add(iter);
                reach[^1] = Math.Max(reach[^1], iter);
                prev = iter;
                items.Add((iter, loss, lr, reach.Count - 1, i));
            }
            int conflicts = 0;
            foreach (var g in items.GroupBy(x => x.Iter).OrderBy(g => g.Key))
            {
                var first = g.First();
                bool same = g.All(x => Same(x.Loss, first.Loss) && Same(x.Lr, first.Lr));
                var chosen = first;
                if (!same)
                {
                    if (options.StrictDuplicates)
                        throw new RunFormatException(path, $"{at}[{g.Last().Index}]", $"iter {g.Key} is logged more than once with different values (entries {string.Join(", ", g.Select(x => x.Index))}).");
                    int best = g.Max(x => reach[x.Seg]);
                    var winners = g.Where(x => reach[x.Seg] == best).ToList();
                    if (winners.Any(x => !Same(x.Loss, winners[0].Loss) || !Same(x.Lr, winners[0].Lr)))
                        throw new RunFormatException(path, $"{at}[{winners[^1].Index}]",
                            $"iter {g.Key} is logged more than once with different values (entries {string.Join(", ", g.Select(x => x.Index))}) and no resumed segment decides between them.");
                    chosen = winners[0];
                    conflicts++;
                }
                string w = $"{at}[{chosen.Index}]";
                int step = which == LossSplit.Train ? chosen.Iter - 1 : chosen.Iter;
                if (which == LossSplit.Train && step == 0)
                    throw new RunFormatException(path, w, "a train entry at iter 1 is the loss before any update (step 0); the run model starts at step 1.");
                entries.Add(new Entry(chosen.Iter, step, chosen.Loss, which, w, !same));
                if (lrKey is not null) loggedLrs.Add(new LoggedLr(chosen.Iter + 1, chosen.Lr, w));
            }
            return conflicts;
        }

        private static bool Same(double a, double b) => a.Equals(b);

        private static int CheckStep(string path, string where, double iter, int iterations, RunReadOptions options)
        {
            int k = RunAssembly.CheckStep(path, where, iter, options.MaxStep, allowZero: true);
            if (k > iterations) throw new RunFormatException(path, where, $"iter {k} is beyond config.iterations = {iterations}.");
            return k;
        }

        private static JsonElement Column(string path, JsonElement split, string at, string key)
        {
            if (!split.TryGetProperty(key, out var c)) throw new RunFormatException(path, at, $"missing column '{key}'.");
            if (c.ValueKind != JsonValueKind.Array) throw new RunFormatException(path, $"{at}.{key}", $"expected an array, found {JsonText.Describe(c)}.");
            return c;
        }

        private static Func<int, double> ScheduleFactor(string path, JsonElement config, string scheduler, int s, int w, double lr)
        {
            switch (scheduler)
            {
                case "wsd":
                {
                    double fract = OptNum(config, "wsd_fract_decay") ?? 0.1;
                    double fin = OptNum(config, "wsd_final_lr_scale") ?? 0;
                    string type = OptStr(config, "decay_type") ?? "linear";
                    if (fract < 0 || fract > 1) throw new RunFormatException(path, "config.wsd_fract_decay", $"cooldown fraction {fract} is outside 0..1.");
                    if (fin < 0) throw new RunFormatException(path, "config.wsd_final_lr_scale", $"final LR scale {fin} is negative.");
                    int anneal = (int)(fract * s);
                    int hold = s - anneal;
                    Func<double, double> decay = type switch
                    {
                        "linear" => x => fin + (1 - fin) * (1 - x),
                        "sqrt" => x => fin + (1 - fin) * (1 - Math.Sqrt(x)),
                        "square" => x => fin + (1 - fin) * (1 - x * x),
                        "cosine" => x => fin + (1 - fin) * (1 + Math.Cos(Math.PI * x)) * 0.5,
                        "exp" => x => Math.Pow(fin, x),
                        _ => throw new RunFormatException(path, "config.decay_type", $"unknown decay type '{type}' (linear, sqrt, square, cosine, exp)."),
                    };
                    return k => k < w ? (double)k / w + (1 - (double)k / w) / 100
                        : k < hold ? 1.0
                        : k < s ? decay((k - hold) / (double)anneal)
                        : fin;
                }
                case "wsd_twostage":
                {
                    // Horizon extension (Schaipp, Hägele et al. 2025, github.com/fabian-sp/lr-scheduling data/horizon_transfer,
                    // trained with epfml/schedules-and-scaling): the wsd factor times g(k), g = 1 up to
                    // wsd_twostage_transition_after, then linear over wsd_twostage_transition_steps to wsd_twostage_factor,
                    // held there; the wsd cooldown (wsd_fract_decay of the iterations) scales that level down. Checked
                    // against the logged LRs of those runs (f(40050) = 0.97625, f(41000) = 0.525, f(80050) = 0.525 x 0.9975).
                    double factor = OptNum(config, "wsd_twostage_factor") ?? throw new RunFormatException(path, "config.wsd_twostage_factor", "a wsd_twostage schedule needs wsd_twostage_factor.");
                    double after = OptNum(config, "wsd_twostage_transition_after") ?? throw new RunFormatException(path, "config.wsd_twostage_transition_after", "a wsd_twostage schedule needs wsd_twostage_transition_after.");
                    double steps = OptNum(config, "wsd_twostage_transition_steps") ?? 0;
                    if (!(factor >= 0) || after < 0 || steps < 0)
                        throw new RunFormatException(path, "config.wsd_twostage_factor", $"factor {factor}, transition after {after} and over {steps} steps must be >= 0.");
                    var wsd = ScheduleFactor(path, config, "wsd", s, w, lr);
                    return k => wsd(k) * (k <= after ? 1.0 : k >= after + steps ? factor : 1 - (1 - factor) * (k - after) / steps);
                }
                case "cos":
                {
                    if (w < 2) throw new RunFormatException(path, "config.warmup_steps", "a cos schedule needs warmup_steps >= 2.");
                    double finalLr = OptNum(config, "cos_final_lr") is { } c && c > 0 ? c : lr / 10;
                    double initial = lr / 100, minLr = finalLr;
                    double e1 = w - 1.0, e2 = s - 1.0;
                    static double Anneal(double start, double end, double pct) => end + (start - end) / 2 * (Math.Cos(Math.PI * pct) + 1);
                    return k => (k <= e1 ? Anneal(initial, lr, k / e1) : Anneal(lr, minLr, (k - e1) / (e2 - e1))) / lr;
                }
                case "none" or "constant":
                    return _ => 1.0;
                default:
                    throw new RunFormatException(path, "config.scheduler", $"unknown scheduler '{scheduler}' (wsd, wsd_twostage, cos, none).");
            }
        }

        private static JsonElement Obj(string path, JsonElement e, string key, string at)
        {
            if (!e.TryGetProperty(key, out var v)) throw new RunFormatException(path, at, $"missing '{key}'.");
            if (v.ValueKind != JsonValueKind.Object) throw new RunFormatException(path, at, $"expected an object, found {JsonText.Describe(v)}.");
            return v;
        }

        private static double PositiveNumber(string path, JsonElement config, string key)
        {
            if (!config.TryGetProperty(key, out var v)) throw new RunFormatException(path, $"config.{key}", "missing.");
            double x = JsonText.Number(path, v, $"config.{key}");
            if (!(x > 0) || !double.IsFinite(x)) throw new RunFormatException(path, $"config.{key}", $"must be a positive number, found {RunAssembly.Fmt(x)}.");
            return x;
        }

        private static int Int(string path, JsonElement config, string key, long max, long min)
        {
            if (!config.TryGetProperty(key, out var v)) throw new RunFormatException(path, $"config.{key}", "missing.");
            return LlmBaselinesConfig.Count(path, $"config.{key}", JsonText.Number(path, v, $"config.{key}"), min, max);
        }

        private static string Str(string path, JsonElement config, string key) =>
            OptStr(config, key) ?? throw new RunFormatException(path, $"config.{key}", "missing.");

        private static string? OptStr(JsonElement config, string key) =>
            config.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

        private static double? OptNum(JsonElement config, string key) =>
            config.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : null;
    }
}
