#!/usr/bin/env python3
"""Hostile-input audit of every hyperlaws command: runs each case in a fresh folder and records exit code,
whether stderr is one 'hyperlaws: error:' line naming the input, and whether anything was left behind.

Usage (from the repository root, after a Release build; HA is a scratch folder):
  python3 benchmarks/hostile-audit/fixtures.py
  HL=src/HyperLaws.Cli/bin/Release/net10.0/linux-x64/hyperlaws J=2 python3 benchmarks/hostile-audit/audit.py [REGEX|OPTIONS|RERUN:a.json,b.json]
REGEX selects cases by "command label"; OPTIONS the option-value, duplicate/unknown, locale and misc cases; RERUN the cases
that failed in earlier result files. Cases marked "(nobody)" run as uid 65534 through setpriv (unreadable inputs, read-only
folders), which needs root. One line per case on stdout (ok/FAIL, exit code, problems, the stderr line); all in $OUTJ.
The judgement "NaN/Inf in output" and "accepted (exit 0)" flag cases to look at, not all breaches (a BOM or CRLF law file
is valid, so those law cases take either outcome). Cases labelled "help --OPTION=VALUE" are drawn from each command's --help at
start (every value option that is not a path), so an option added to a command is audited without editing this file; "keep"
files (an input named as an output) must be byte for byte unchanged whatever the exit code; an output that exists is replaced
on success without a flag, and must be intact on failure."""
import os, sys, subprocess, tempfile, shutil, json, concurrent.futures as cf, time, re
H = os.path.abspath(os.environ.get("HL", "src/HyperLaws.Cli/bin/Release/net10.0/linux-x64/hyperlaws"))
HA = os.environ.get("HA", "/tmp/ha")
FX = os.path.join(HA, "fx")
REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
SHARED = os.environ.get("SHARED", os.path.abspath(os.path.join(REPO, "..", "shared", "data")))
MPL = f"{REPO}/data/MultiPowerLaw/loss_curve_repo/csv_25/cosine_24000.csv"
LAW = f"{FX}/law-tissue.json"
DIV = f"{REPO}/data/priors/divergence-steplaw.json"
PRIOR = f"{REPO}/data/priors/lr-axis-steplaw.json"
SWEEP = f"{SHARED}/steplaw/data/dense_lr_bs_loss.csv"
SPEC = "cosine(peak=3e-4,warmup=10,steps=1000)"
DOTNET_ROOT = os.path.dirname(os.path.realpath(shutil.which("dotnet")))
cases = []
def case(cmd, label, args, names=(), env=None, nobody=False, expect="refuse", prep=None, keep=(), timeout=300, replaces=False):
    cases.append(dict(cmd=cmd, label=label, args=args, names=list(names), env=env or {}, nobody=nobody, expect=expect, prep=prep, keep=list(keep), timeout=timeout, replaces=replaces))

# ---- run-file targets: (cmd, option, builder(f, W))
RUNFILES = ["empty.csv","whitespace.csv","header-only.csv","single-point.csv","two-points.csv","all-nan.csv","all-nan-tail.csv",
  "constant.csv","increasing.csv","nonmono-steps.csv","dup-steps.csv","step0.csv","lr-zero.csv","lr-zero-partial.csv",
  "truncated-midline.csv","crlf.csv","bom.csv","utf16.csv","utf16be.csv","comma-decimal.csv","comma-decimal-quoted.csv","semicolon.csv",
  "tabs.tsv","garbage.csv","nul.csv","only-comments.csv","no-loss-col.csv","loss-text.csv","wide-values.csv","big-step-gap.csv",
  "neg-inf-loss.csv","wandb-noloss.csv","wandb-ok.csv","wandb-empty-values.csv","wandb-nohist.json","wandb-noloss.json","wandb-null.json",
  "trainer-noloss.json","trainer-empty.json","generic-noloss.jsonl","generic-empty.jsonl","jsonl-utf16.jsonl",
  "tb-noloss","tb-ok","tb-versiononly","tb-nanloss","tb-truncated","emptydir","missing.csv", "law-tissue.json",
  "schedule-longer.csv","schedule-one-loss.csv", "latin1.csv","longline.csv","huge-loss.csv","neg-step.csv","fifo.csv"]
HEAVY_OK = {"million.csv"}
targets = [
 ("fit", "--runs", lambda f, W: ["fit","--law","tissue","--runs",f,"--out",f"{W}/law.json"]),
 ("fit-mpl", "--runs", lambda f, W: ["fit","--law","mpl","--runs",f,"--out",f"{W}/law.json"]),
 ("fit-optlaw", "--runs", lambda f, W: ["fit","--law","optlaw","--runs",f,"--out",f"{W}/law.json"]),
 ("import", "FILE", lambda f, W: ["import",f,"--out",f"{W}/run.csv"]),
 ("compare", "--train", lambda f, W: ["compare","--laws","tissue","--train",f,"--test",f"{FX}/good2.csv","--plot",f"{W}/plots"]),
 ("compare", "--test", lambda f, W: ["compare","--laws","tissue","--train",f"{FX}/good.csv","--test",f]),
 ("rank", "--runs", lambda f, W: ["rank","--law",LAW,"--steps","1000","--runs",f]),
 ("rank-continuation", "--history", lambda f, W: ["rank-continuation","--law",LAW,"--history",f,"--steps","100"]),
 ("diverge", "--runs", lambda f, W: ["diverge","--fit","--runs",f,"--out",f"{W}/div.json"]),
 ("optimize-schedule", "--runs", lambda f, W: ["optimize-schedule","--law",LAW,"--steps","1000","--evaluations","50","--knots","4","--runs",f,"--out",f"{W}/s.csv"]),
 ("contour", "--runs", lambda f, W: ["contour","--law",LAW,"--steps","1000","--peaks","1e-4:1e-3:3","--warmups","0.01:0.1:3","--runs",f,"--out",f"{W}/c"]),
 ("plan", "--runs", lambda f, W: ["plan","--params","10M","--tokens","200M","--laws","tissue","--no-divergence","--no-fit-cache","--quiet","--runs",f,"--out",f"{W}/plan"]),
 ("sweep", "--runs", lambda f, W: ["sweep","--params","1B","--tokens","20B","--quiet","--runs",f,"--out",f"{W}/sw"]),
]
for cmd, opt, b in targets:
    files = RUNFILES + (["million.csv"] if cmd in ("fit","import","rank-continuation") else [])
    for f in files:
        p = f"{FX}/{f}"
        case(cmd, f"{opt} {f}", (lambda b=b, p=p: (lambda W: b(p, W)))(), names=[opt, os.path.basename(f)], expect="either")
# ---- law-file targets
LAWFILES = ["law-empty.json","law-bom.json","law-utf16.json","law-crlf.json","law-trunc.json","law-garbage.json","law-comma.json",
  "law-dupkey.json","law-zero.json","law-extra.json","law-wrongformat.json","law-is-run.json","emptydir","missing.json","good.csv",
  "law-huge.json","law-latin1.json","law-longline.json","law-fifo.json"]
VALIDLAWS = {"law-bom.json", "law-utf16.json", "law-crlf.json", "law-longline.json"}
lawtargets = [
 ("predict", "--law", lambda f, W: ["predict","--law",f,"--schedule",SPEC,"--steps","100,500"]),
 ("predict-plot", "--law", lambda f, W: ["predict","--law",f,"--schedule",SPEC,"--plot",f"{W}/p.png"]),
 ("rank", "--law", lambda f, W: ["rank","--law",f,"--steps","1000","--peaks","1e-4:1e-3:3"]),
 ("optimize-schedule", "--law", lambda f, W: ["optimize-schedule","--law",f,"--steps","1000","--peak","3e-4","--evaluations","50","--knots","4","--out",f"{W}/s.csv"]),
 ("rank-continuation", "--law", lambda f, W: ["rank-continuation","--law",f,"--history",SPEC,"--steps","100"]),
 ("contour", "--law", lambda f, W: ["contour","--law",f,"--steps","1000","--peaks","1e-4:1e-3:3","--warmups","0.01:0.1:3","--out",f"{W}/c"]),
 ("diverge", "--model", lambda f, W: ["diverge","--model",f,"--schedule",SPEC,"--params","1M","--batch","1M"]),
 ("rank", "--divergence", lambda f, W: ["rank","--law",LAW,"--steps","1000","--peaks","1e-4:1e-3:3","--divergence",f,"--params","1M","--batch","1M"]),
 ("optimum", "--rule", lambda f, W: ["optimum","--sweep",SWEEP,"--rule",f]),
 ("size-law", "--law", lambda f, W: ["size-law","--law",f,"--predict","1e9:2e10"]),
 ("plan", "--lr-prior", lambda f, W: ["plan","--params","10M","--tokens","200M","--quiet","--laws","tissue","--lr-prior",f,"--divergence",DIV,"--out",f"{W}/plan"]),
 ("plan", "--divergence", lambda f, W: ["plan","--params","10M","--tokens","200M","--quiet","--laws","tissue","--divergence",f,"--lr-prior",PRIOR,"--out",f"{W}/plan"]),
 ("contour", "--divergence", lambda f, W: ["contour","--law",LAW,"--steps","1000","--peaks","1e-4:1e-3:3","--warmups","0.01:0.1:3","--divergence",f,"--params","1M","--batch","1M","--out",f"{W}/c"]),
 ("diverge", "--score", lambda f, W: ["diverge","--score",f,"--runs",SWEEP]),
]
for cmd, opt, b in lawtargets:
    for f in LAWFILES:
        p = f"{FX}/{f}"
        # A BOM, UTF-16, CRLF or a long string field is still a valid law file (the docstring's note): either outcome.
        case(cmd, f"{opt} {f}", (lambda b=b, p=p: (lambda W: b(p, W)))(), names=[opt, os.path.basename(f)], expect="either" if f in VALIDLAWS else "refuse")
# ---- sweep/table targets
for f in ["sweep-header-only.csv","sweep-one-row.csv","sweep-truncated.csv","sweep-crlf.csv","sweep-bom.csv","sweep-utf16.csv","empty.csv","good.csv","garbage.csv","emptydir","utf16.csv",
          "latin1.csv","longline.csv","fifo.csv","missing.csv"]:
    p = f"{FX}/{f}"
    case("optimum", f"--sweep {f}", (lambda p=p: (lambda W: ["optimum","--sweep",p]))(), names=["--sweep", f], expect="either")
    case("size-law", f"--table {f}", (lambda p=p: (lambda W: ["size-law","--table",p,"--resamples","10"]))(), names=["--table", f], expect="either")
# ---- output targets: existing file where folder expected, folder where file expected, parent is a file, missing parent, unwritable (as nobody)
outs = [
 ("fit", lambda o: ["fit","--law","tissue","--runs",f"{FX}/good.csv","--out",o], "file"),
 ("import", lambda o: ["import",f"{FX}/good.csv","--out",o], "file"),
 ("predict", lambda o: ["predict","--law",LAW,"--schedule",SPEC,"--plot",o], "file"),
 ("optimize-schedule", lambda o: ["optimize-schedule","--law",LAW,"--steps","1000","--peak","3e-4","--evaluations","50","--knots","4","--out",o], "file"),
 ("optimize-schedule-plot", lambda o: ["optimize-schedule","--law",LAW,"--steps","1000","--peak","3e-4","--evaluations","50","--knots","4","--plot",o], "file"),
 ("diverge", lambda o: ["diverge","--fit","--runs",SWEEP,"--out",o], "file"),
 ("optimum", lambda o: ["optimum","--sweep",SWEEP,"--save-rule",o], "file"),
 ("size-law", lambda o: ["size-law","--resamples","10","--table",SWEEP,"--out",o], "file"),
 ("lr-prior", lambda o: ["lr-prior","--data",SHARED,"--out",o], "file"),
 ("contour", lambda o: ["contour","--law",LAW,"--steps","1000","--peaks","1e-4:1e-3:3","--warmups","0.01:0.1:3","--out",o], "dir"),
 ("compare", lambda o: ["compare","--laws","tissue","--train",f"{FX}/good.csv","--test",f"{FX}/good2.csv","--plot",o], "dir"),
 ("verify", lambda o: ["verify","--budgets","4","--out",o], "dir"),
 ("plan", lambda o: ["plan","--params","10M","--tokens","200M","--laws","tissue","--no-divergence","--no-lr-prior","--no-fit-cache","--quiet","--runs",f"{FX}/good.csv","--out",o], "dir"),
 ("plan-export", lambda o: ["plan","--params","10M","--tokens","200M","--laws","tissue","--no-divergence","--no-lr-prior","--no-fit-cache","--quiet","--runs",f"{FX}/good.csv","--out","{W}/planout","--export",o], "dir"),
 ("sweep", lambda o: ["sweep","--params","1B","--tokens","20B","--out",o], "dir"),
 ("sweep-logdir", lambda o: ["sweep","--params","1B","--tokens","20B","--out","{W}/sw","--log-dir",o], "dir"),
 ("demo", lambda o: ["demo","--quiet","--laws","tissue","--out",o], "dir"),
]
def prep_file(W): open(f"{W}/existing", "w").write("keep me\n")
def prep_dir(W): os.makedirs(f"{W}/existingdir"); open(f"{W}/existingdir/keep.txt","w").write("keep\n")
def prep_ro(W): os.makedirs(f"{W}/ro"); os.chmod(f"{W}/ro", 0o555); os.chmod(W, 0o777)
for cmd, b, kind in outs:
    base = cmd.split("-")[0] if cmd not in ("optimize-schedule","optimize-schedule-plot","size-law","lr-prior") else cmd
    case(cmd, "out=existing file", (lambda b=b: (lambda W: [a.replace("{W}", W) for a in b(f"{W}/existing")]))(), names=["existing"], prep=prep_file, expect="either" if kind=="file" else "refuse", replaces=kind=="file")
    case(cmd, "out=existing dir", (lambda b=b: (lambda W: [a.replace("{W}", W) for a in b(f"{W}/existingdir")]))(), names=["existingdir"], prep=prep_dir, expect="refuse" if kind=="file" else "either")
    case(cmd, "out=under a file", (lambda b=b: (lambda W: [a.replace("{W}", W) for a in b(f"{W}/existing/sub/x")]))(), names=["existing"], prep=prep_file)
    case(cmd, "out=missing parents", (lambda b=b: (lambda W: [a.replace("{W}", W) for a in b(f"{W}/a/b/c/x")]))(), names=[], expect="either")
    case(cmd, "out=trailing slash", (lambda b=b: (lambda W: [a.replace("{W}", W) for a in b(f"{W}/newdir/")]))(), names=[], expect="either")
    case(cmd, "out=a FIFO", (lambda b=b: (lambda W: [a.replace("{W}", W) for a in b(f"{W}/fifo")]))(), names=["fifo"], prep=lambda W: os.mkfifo(f"{W}/fifo"), expect="either", timeout=60)
    case(cmd, "out=unwritable dir (nobody)", (lambda b=b: (lambda W: [a.replace("{W}", W) for a in b(f"{W}/ro/x")]))(), names=["ro"], prep=prep_ro, nobody=True)
# ---- unreadable inputs (as nobody)
def prep_unreadable(W):
    shutil.copy(f"{FX}/good.csv", f"{W}/secret.csv"); os.chmod(f"{W}/secret.csv", 0); shutil.copy(LAW, f"{W}/secret.json"); os.chmod(f"{W}/secret.json", 0); os.chmod(W, 0o777)
for cmd, b in [("fit", lambda W: ["fit","--law","tissue","--runs",f"{W}/secret.csv","--out",f"{W}/law.json"]),
               ("import", lambda W: ["import",f"{W}/secret.csv","--out",f"{W}/r.csv"]),
               ("compare", lambda W: ["compare","--laws","tissue","--train",f"{W}/secret.csv","--test",f"{FX}/good2.csv"]),
               ("rank-continuation", lambda W: ["rank-continuation","--law",LAW,"--history",f"{W}/secret.csv","--steps","100"]),
               ("diverge", lambda W: ["diverge","--fit","--runs",f"{W}/secret.csv","--out",f"{W}/d.json"]),
               ("predict", lambda W: ["predict","--law",f"{W}/secret.json","--schedule",SPEC]),
               ("rank", lambda W: ["rank","--law",f"{W}/secret.json","--steps","1000"]),
               ("diverge-model", lambda W: ["diverge","--model",f"{W}/secret.json","--schedule",SPEC,"--params","1M","--batch","1M"]),
               ("optimum", lambda W: ["optimum","--sweep",f"{W}/secret.csv"]),
               ("optimum-rule", lambda W: ["optimum","--sweep",SWEEP,"--rule",f"{W}/secret.json"]),
               ("size-law", lambda W: ["size-law","--table",f"{W}/secret.csv"]),
               ("size-law-law", lambda W: ["size-law","--law",f"{W}/secret.json","--predict","1e9:2e10"]),
               ("plan", lambda W: ["plan","--params","10M","--tokens","200M","--quiet","--laws","tissue","--runs",f"{W}/secret.csv","--out",f"{W}/p"]),
               ("plan-prior", lambda W: ["plan","--params","10M","--tokens","200M","--quiet","--laws","tissue","--lr-prior",f"{W}/secret.json","--out",f"{W}/p"]),
               ("validate", lambda W: ["validate","--data",f"{W}/secretdir","--protocol","1"]),
               ("demo", lambda W: ["demo","--data",f"{W}/secretdir","--out",f"{W}/d"])]:
    def pu(W, _=None):
        prep_unreadable(W); os.makedirs(f"{W}/secretdir"); os.chmod(f"{W}/secretdir", 0)
    case(cmd, "unreadable input (nobody)", b, names=["secret"], prep=pu, nobody=True)
# ---- option values
base = {
 "scale": ["scale","--regime","joint","--tokens","1e10"],
 "transfer": ["transfer","--regime","fixed-momentum","--from-tokens","1e9","--lr","3e-3","--momentum","0.9","--batch","256","--to-tokens","1e11"],
 "predict": ["predict","--law",LAW,"--schedule",SPEC],
 "rank": ["rank","--law",LAW,"--steps","1000","--peaks","1e-4:1e-3:3"],
 "plan": ["plan","--params","10M","--tokens","200M","--laws","tissue","--no-divergence","--no-lr-prior","--quiet","--out","{W}/p"],
 "sweep": ["sweep","--params","1B","--tokens","20B","--out","{W}/sw"],
 "contour": ["contour","--law",LAW,"--steps","1000","--peaks","1e-4:1e-3:3","--warmups","0.01:0.1:3","--out","{W}/c"],
 "import": ["import",f"{FX}/good.csv","--out","{W}/r.csv"],
}
vals = {"zero":"0","underflow":"1e-400","bad-unit":"1.3Q","comma-decimal":"1,5","hex":"0x10","suffix-only":"M","double-suffix":"1MM","dot":"."}
opts = {"scale":["--tokens","--momentum","--batch","--lr","--max-batch","--rho","--C1","--ridge-exponent"],
        "transfer":["--from-tokens","--lr","--momentum","--batch","--to-tokens","--batch-multiple","--seq-len"],
        "predict":["--steps","--level","--params"],
        "rank":["--steps","--peaks","--warmups","--cooldowns","--floors","--top","--level","--batch","--params"],
        "plan":["--params","--tokens","--seq-len","--batch-multiple","--batch-tokens","--runner-ups","--divergence-risk","--joint-noise-power"],
        "sweep":["--params","--tokens","--seq-len","--budget-count","--lr-points","--lr-span","--batch-points","--warmup-fraction","--cooldown","--momentum","--max-compute-fraction","--gpus","--max-parallel","--min-steps"],
        "contour":["--tokens-per-step","--cooldown","--floor","--peaks","--warmups","--batch"],
        "import":["--params","--tokens-per-step"]}
for cmd, os_ in opts.items():
    for o in os_:
        for vn, v in vals.items():
            b = base[cmd]
            def mk(b=b, o=o, v=v):
                def f(W):
                    a = [x.replace("{W}", W) for x in b]
                    if o in a:
                        i = a.index(o); a[i+1] = v
                    else:
                        a += [o, v]
                    return a
                return f
            case(cmd, f"{o}={vn}", mk(), names=[o], expect="either")
# duplicates / unknown
for cmd, b in base.items():
    def dup(W, b=b):
        a = [x.replace("{W}", W) for x in b]; return a + [a[1], a[2]] if a[1].startswith("--") else a + ["--out", f"{W}/x", "--out", f"{W}/y"]
    case(cmd, "duplicate option", dup, names=[], expect="either")
    case(cmd, "unknown option", (lambda b=b: (lambda W: [x.replace("{W}", W) for x in b] + ["--frobnicate", "3"]))(), names=["--frobnicate"])
    case(cmd, "unknown option typo=", (lambda b=b: (lambda W: [x.replace("{W}", W) for x in b] + ["--quiet=yes"]))(), names=["--quiet"], expect="either")
    case(cmd, "stray positional", (lambda b=b: (lambda W: [x.replace("{W}", W) for x in b] + ["stray"]))(), names=["stray"])
    case(cmd, "de_DE locale", (lambda b=b: (lambda W: [x.replace("{W}", W) for x in b]))(), env={"LANG":"de_DE.UTF-8","LC_ALL":"de_DE.UTF-8","DOTNET_SYSTEM_GLOBALIZATION_INVARIANT":"0"}, expect="ok")
# misc commands
for a, n in [(["validate","--protocol","99"],["--protocol"]), (["validate","--data",f"{FX}/emptydir","--protocol","1"],["--data"]), (["validate","--data",f"{FX}/good.csv"],["--data"]),
             (["lr-prior","--data",f"{FX}/emptydir","--out","{W}/p.json"],["--data"]), (["size-law","--data",f"{FX}/emptydir"],["--data"]),
             (["demo","--data",f"{FX}/emptydir","--out","{W}/d"],["--data"]), (["optimize-schedule","--law",LAW,"--steps","1000","--compare-mpl","--data",f"{FX}/emptydir"],["--data"]),
             (["diverge","--validate","--data",f"{FX}/emptydir"],["--data"]), (["size-law","--predict","1e9:0"],["--predict"]), (["size-law","--predict","1e9"],["--predict"]),
             (["size-law","--predict","a:b"],["--predict"]), (["predict","--law",LAW,"--schedule","cosine(peak=0,steps=1000)"],["--schedule"]),
             (["predict","--law",LAW,"--schedule","constant(peak=1e-3,steps=1)"],["--schedule"]), (["predict","--law",LAW,"--schedule","wsd(peak=1e-3,steps=1000,cooldown=2)"],["--schedule"]),
             (["predict","--law",LAW,"--schedule",SPEC,"--steps","0"],["--steps"]), (["predict","--law",LAW,"--schedule",SPEC,"--steps","5000"],["--steps"]),
             (["rank","--law",LAW,"--steps","1"],["--steps"]), (["rank-continuation","--law",LAW,"--history",SPEC,"--steps","0"],["--steps"]),
             (["import",f"{FX}/two-points.csv","--loss-column","nope","--out","{W}/r.csv"],["nope"]), (["import",f"{FX}/good.csv","--step-column","loss","--out","{W}/r.csv"],[]),
             (["import",f"{FX}/two-points.csv","--metric","nope","--out","{W}/r.csv"],["nope"]), (["import",f"{FX}/wandb-ok.csv","--metric","nope","--out","{W}/r.csv"],["nope"]),
             (["fit","--law","tissue","--runs",f"{FX}/good.csv",f"{FX}/good.csv","--out","{W}/l.json"],[]),
             (["compare","--laws","tissue","--train",f"{FX}/good.csv","--test",f"{FX}/good.csv"],[]),
             (["scale","--regime","fixed-batch","--iterations","1","--batch","1"],[]), (["scale","--regime","joint"],["--tokens"]),
             (["transfer","--regime","joint","--from-tokens","1e9","--lr","3e-3","--momentum","1","--batch","256","--to-tokens","1e11"],["--momentum"]),
             (["transfer","--regime","joint","--from-tokens","1e9","--lr","3e-3","--momentum","0","--batch","256","--to-tokens","1e11"],["--momentum"]),
             (["plan","--params","10M","--tokens","1","--laws","tissue","--no-divergence","--no-lr-prior","--quiet","--out","{W}/p"],["--tokens"]),
             (["plan","--params","1","--tokens","1e9","--laws","tissue","--no-divergence","--no-lr-prior","--quiet","--out","{W}/p"],["--params"]),
             (["plan","--params","10M","--tokens","200M","--optimizer","banana","--laws","tissue","--no-divergence","--no-lr-prior","--quiet","--out","{W}/p"],["--optimizer"]),
             (["sweep","--params","1B","--tokens","1","--out","{W}/sw"],["--tokens"]), (["sweep","--params","1","--tokens","1e9","--out","{W}/sw"],["--params"]),
             (["sweep","--params","1B","--tokens","20B","--budgets","1e3","--out","{W}/sw"],["--budgets"]),
             (["contour","--law",LAW,"--steps","1000","--peaks","1e-3:1e-4:3","--warmups","0.01:0.1:3","--out","{W}/c"],["--peaks"]),
             (["contour","--law",LAW,"--steps","1000","--peaks","1e-4:1e-3:1","--warmups","0.01:0.1:1","--out","{W}/c"],["--peaks"]),
             (["contour","--law",LAW,"--steps","1000","--peaks","1e-4:1e-3:100000","--warmups","0.01:0.1:3","--out","{W}/c"],["--peaks"]),
             (["contour","--law",LAW,"--steps","1000","--peaks","1e-4:1e-3:3","--warmups","0.01:2:3","--out","{W}/c"],["--warmups"]),
             (["optimize-schedule","--law",LAW,"--steps","1000","--peak","3e-4","--knots","1","--evaluations","50"],["--knots"]),
             (["optimize-schedule","--law",LAW,"--steps","1000","--peak","3e-4","--warmup","2000"],["--warmup"]),
             (["verify","--min-tokens","1e10","--max-tokens","1e9","--no-figures"],["--min-tokens"]),
             (["verify","--budgets","1","--no-figures"],["--budgets"]),
             (["scale","--regime","joint","--tokens","1e10","--optimizer","muon","--shapes","0x768"],["--shapes"]),
             (["scale","--regime","joint","--tokens","1e10","--optimizer","muon","--shapes","768x768*0"],["--shapes"]),
             (["scale","--regime","joint","--tokens","1e10","--optimizer","muon","--shapes","99999999999x99999999999*99999999999"],["--shapes"]),
             (["scale","--regime","joint","--tokens","1e10","--optimizer","muon"],["--shapes"]),
             ([],[]), (["nosuchcommand"],["nosuchcommand"]), (["--version"],[]), (["plan"],["--params"]),
             (["plan","--params","10M","--tokens","200M","--laws","tissue","--no-lr-prior","--quiet","--out","{W}/p","--divergence-risk","1"],["--divergence-risk"]),
             (["plan","--params","10M","--tokens","200M","--laws","tissue","--no-lr-prior","--quiet","--out","{W}/p","--divergence-risk","nan"],["--divergence-risk"]),
             (["plan","--params","10M","--tokens","200M","--laws","tissue","--no-lr-prior","--quiet","--out","{W}/p","--divergence-risk","-0.1"],["--divergence-risk"]),
             (["plan","--params","10M","--tokens","200M","--laws","tissue","--no-lr-prior","--quiet","--out","{W}/p","--divergence-risk","abc"],["--divergence-risk"]),
             (["plan","--params","10M","--tokens","200M","--laws","tissue","--no-lr-prior","--quiet","--out","{W}/p","--divergence-risk","0.5x"],["--divergence-risk"]),
             (["plan","--params","10M","--tokens","200M","--laws","tissue","--no-lr-prior","--quiet","--out","{W}/p","--divergence-risk","0.3","--no-divergence"],["--divergence-risk"]),
             (["plan","--params","10M","--tokens","200M","--laws","tissue","--no-lr-prior","--quiet","--out","{W}/p","--divergence-risk","0.3","--optimizer","muon"],["--divergence-risk"]),
             (["plan","--params","10M","--tokens","200M","--laws","tissue","--no-lr-prior","--quiet","--out","{W}/p","--divergence-risk","0.5","--runs",f"{FX}/good.csv"],[]),
             (["plan","--params","10M","--tokens","200M","--laws","tissue","--no-lr-prior","--quiet","--out","{W}/p","--joint-noise-power","fit"],["--joint-noise-power"]),
             (["plan","--params","10M","--tokens","200M","--laws","tissue","--no-lr-prior","--quiet","--out","{W}/p","--joint-noise-power","0.5"],["--joint-noise-power"]),
             (["plan","--params","10M","--tokens","200M","--laws","tissue","--no-lr-prior","--quiet","--out","{W}/p","--joint-noise-power",""],["--joint-noise-power"]),
             (["plan","--params","10M","--tokens","200M","--laws","joint","--no-lr-prior","--quiet","--out","{W}/p","--joint-noise-power","1","--runs",f"{FX}/good.csv",f"{FX}/good2.csv"],[]),
             (["rank-continuation","--law",LAW,"--history",f"{FX}/schedule-longer.csv","--steps","100","--json"],[]),
             ]:
    exp = "either"
    case(a[0] if a else "(root)", "misc " + " ".join(x if len(x) < 40 else os.path.basename(x) for x in a[1:]), (lambda a=a: (lambda W: [x.replace("{W}", W) for x in a]))(), names=n, expect=exp)

# ---- helper hostile: every value option of every command, from its --help, with values no case above gives
# (empty, 1e309, -1, nan, a word); enum options with a word and empty. Path options get the file cases instead.
HELPBASE = {
 "demo": ["demo","--quiet","--data",f"{FX}/emptydir","--out","{W}/d"],
 "scale": base["scale"], "transfer": base["transfer"], "predict": base["predict"], "rank": base["rank"], "plan": base["plan"],
 "sweep": base["sweep"], "contour": base["contour"], "import": base["import"],
 "verify": ["verify","--budgets","4","--no-figures","--quiet"],
 "fit": ["fit","--law","tissue","--runs",f"{FX}/good.csv","--out","{W}/law.json"],
 "optimize-schedule": ["optimize-schedule","--law",LAW,"--steps","1000","--peak","3e-4","--evaluations","50","--knots","4"],
 "rank-continuation": ["rank-continuation","--law",LAW,"--history",SPEC,"--steps","100"],
 "compare": ["compare","--laws","tissue","--train",f"{FX}/good.csv","--test",f"{FX}/good2.csv"],
 "validate": ["validate","--protocol","1","--data",f"{FX}/emptydir"],
 "diverge": ["diverge","--model",DIV,"--schedule",SPEC,"--params","1M","--batch","1M"],
 "lr-prior": ["lr-prior","--data",f"{FX}/emptydir","--out","{W}/p.json"],
 "optimum": ["optimum","--sweep",SWEEP],
 "size-law": ["size-law","--table",SWEEP,"--resamples","10"],
}
# Commands whose base fails on an empty data folder: an accepted value then ends on that folder's error, which names it.
DATAFAIL = {"demo", "validate", "lr-prior"}
PATHLIKE = re.compile(r"FILE|json|csv|DIR|PATH|N:D", re.I)
def help_options(cmd):
    try:
        text = subprocess.run([H, cmd, "--help"], capture_output=True, timeout=120).stdout.decode("utf-8", "replace")
    except (OSError, subprocess.TimeoutExpired):
        return []
    return re.findall(r"^\s+(?:-\S+, )*(--[A-Za-z0-9][\w-]*)(?: <([^>]+)>)?", text, re.M)
HELPVALS = {"empty": "", "huge": "1e309", "negative": "-1", "nan": "nan", "word": "banana"}
for cmd, b in HELPBASE.items():
    for o, placeholder in help_options(cmd):
        if not placeholder or PATHLIKE.search(placeholder) or o in ("--help",): continue
        vs = ("empty", "word") if "|" in placeholder else tuple(HELPVALS)
        for vn in vs:
            def mk(b=b, o=o, v=HELPVALS[vn]):
                def f(W):
                    a = [x.replace("{W}", W) for x in b]
                    if o in a: a[a.index(o) + 1] = v
                    else: a += [o, v]
                    return a
                return f
            case(cmd, f"help {o}={vn}", mk(), names=[o] + (["emptydir"] if cmd in DATAFAIL else []), expect="either")
# ---- --out (or another output) naming an input: refused, the input unchanged (keep: files whose bytes must not change)
def prep_copy(*names):
    def p(W):
        for n in names:
            os.makedirs(os.path.dirname(f"{W}/{n}"), exist_ok=True)
            shutil.copy(SWEEP if n == "dense_lr_bs_loss.csv" else f"{FX}/{os.path.basename(n)}", f"{W}/{n}")
        os.makedirs(f"{W}/sub", exist_ok=True)
        if os.path.exists(f"{W}/good.csv"): os.symlink(f"{W}/good.csv", f"{W}/link.csv")
    return p
for cmd, a, keep in [
    ("fit", ["fit","--law","tissue","--runs","{W}/good.csv","--out","{W}/good.csv"], ["good.csv"]),
    ("import", ["import","{W}/good.csv","--out","{W}/good.csv"], ["good.csv"]),
    ("diverge", ["diverge","--fit","--runs","{W}/dense_lr_bs_loss.csv","--out","{W}/dense_lr_bs_loss.csv"], ["dense_lr_bs_loss.csv"]),
    ("optimum", ["optimum","--sweep","{W}/dense_lr_bs_loss.csv","--save-rule","{W}/dense_lr_bs_loss.csv"], ["dense_lr_bs_loss.csv"]),
    ("size-law", ["size-law","--table","{W}/dense_lr_bs_loss.csv","--resamples","10","--out","{W}/dense_lr_bs_loss.csv"], ["dense_lr_bs_loss.csv"]),
    ("optimize-schedule", ["optimize-schedule","--law","{W}/law-tissue.json","--steps","1000","--evaluations","50","--knots","4","--out","{W}/law-tissue.json"], ["law-tissue.json"]),
    ("optimize-schedule", ["optimize-schedule","--law",LAW,"--steps","1000","--evaluations","50","--knots","4","--runs","{W}/good.csv","--out","{W}/good.csv"], ["good.csv"]),
    ("predict", ["predict","--law","{W}/law-tissue.json","--schedule",SPEC,"--plot","{W}/law-tissue.json"], ["law-tissue.json"]),
    ("fit", ["fit","--law","tissue","--runs","{W}/good.csv","--out","{W}/sub/../good.csv"], ["good.csv"]),
    ("fit", ["fit","--law","tissue","--runs","{W}/good.csv","--out","{W}/link.csv"], ["good.csv"]),
    ("import", ["import","{W}/good.csv","--out","{W}/link.csv"], ["good.csv"]),
    ("plan", ["plan","--params","10M","--tokens","200M","--laws","tissue","--no-divergence","--no-lr-prior","--no-fit-cache","--quiet","--runs","{W}/p/good.csv","--out","{W}/p"], ["p/good.csv"]),
    ("plan", ["plan","--params","10M","--tokens","200M","--laws","tissue","--no-divergence","--no-lr-prior","--no-fit-cache","--quiet","--runs","{W}/good.csv","--out","{W}/p","--export","{W}/p"], ["good.csv"]),
    ("sweep", ["sweep","--params","1B","--tokens","20B","--quiet","--out","{W}/sw","--log-dir","{W}/sw"], []),
]:
    names = [os.path.basename(k) for k in keep] + [x for x in ("link.csv", "--export", "--log-dir") if any(x in y for y in a)] or ["sw"]
    case(cmd, "out=an input " + " ".join(os.path.basename(x) for x in a[1:] if "/" in x)[:60],
         (lambda a=a: (lambda W: [x.replace("{W}", W) for x in a]))(), names=names, keep=keep,
         prep=prep_copy(*(keep or ["good.csv"])), expect="either" if cmd in ("plan", "sweep") else "refuse")

def run(c):
    W = tempfile.mkdtemp(prefix="ha-", dir=os.path.join(HA, "runs"))
    if c["prep"]: c["prep"](W)
    before = set()
    for root, ds, fs in os.walk(W):
        for x in ds + fs: before.add(os.path.join(root, x))
    args = c["args"](W)
    kept = {k: open(k if k.startswith("/") else f"{W}/{k}", "rb").read() for k in c.get("keep", [])}
    env = dict(os.environ); env.update({"HOME": W + "/home", "XDG_CACHE_HOME": W + "/cache", "DOTNET_CLI_TELEMETRY_OPTOUT": "1"}); env.update(c["env"])
    cmd = [H] + args
    if c["nobody"]:
        cmd = ["setpriv","--reuid=65534","--regid=65534","--clear-groups","env",f"DOTNET_ROOT={DOTNET_ROOT}"] + cmd
    t = time.time()
    try:
        p = subprocess.run(cmd, cwd=W, env=env, capture_output=True, timeout=c.get("timeout", 300))
        rc, out, err = p.returncode, p.stdout.decode("utf-8","replace"), p.stderr.decode("utf-8","replace")
    except subprocess.TimeoutExpired:
        rc, out, err = "TIMEOUT", "", ""
    dt = time.time() - t
    after = set()
    for root, ds, fs in os.walk(W):
        for x in ds + fs: after.add(os.path.join(root, x))
    new = sorted(x[len(W)+1:] for x in after - before if not x.startswith(W + "/cache") and not x.startswith(W + "/home"))
    # existing file intact?
    changed = []
    # A file output that exists is replaced on success (replaces=True): the command's job; on failure it must be intact.
    if os.path.exists(f"{W}/existing") and open(f"{W}/existing", "rb").read() != b"keep me\n" and not (c.get("replaces") and rc == 0): changed.append("existing")
    if os.path.exists(f"{W}/existingdir") and not os.path.exists(f"{W}/existingdir/keep.txt"): changed.append("existingdir/keep.txt")
    for k, before_bytes in kept.items():
        p = k if k.startswith("/") else f"{W}/{k}"
        if not os.path.exists(p) or open(p, "rb").read() != before_bytes: changed.append(os.path.basename(k))
    for root, ds, fs in os.walk(W):
        os.chmod(root, 0o755)
    shutil.rmtree(W, ignore_errors=True)
    lines = [l for l in err.splitlines() if l.strip()]
    problems = []
    if rc == "TIMEOUT": problems.append("timeout")
    elif rc not in (0, 1, 2): problems.append(f"exit {rc}")
    if "   at " in err: problems.append("stack trace")
    if rc == 2:
        if len(lines) != 1: problems.append(f"{len(lines)} stderr lines")
        if lines and not lines[-1].startswith("hyperlaws: error:"): problems.append("not an error line")
        if out.strip(): problems.append("stdout on error")
        if new: problems.append("left " + ",".join(new[:4]))
        if c["names"] and lines and not any(n in lines[-1] for n in c["names"]): problems.append("does not name " + "/".join(c["names"]))
    if changed: problems.append("changed " + ",".join(changed))
    if c["expect"] == "refuse" and rc == 0: problems.append("accepted (exit 0)")
    if c["expect"] == "ok" and rc != 0: problems.append(f"not ok")
    if rc == 0 and re.search(r"\bNaN\b|\bInfinity\b|∞", out): problems.append("NaN/Inf in output")
    return dict(cmd=c["cmd"], label=c["label"], rc=rc, lines=len(lines), err=(lines[-1] if lines else "")[:300], new=new[:5], problems=problems, secs=round(dt,1), argv=" ".join(args)[:300])

if __name__ == "__main__":
    os.makedirs(os.path.join(HA, "runs"), exist_ok=True)
    sel = sys.argv[1] if len(sys.argv) > 1 else ""
    if sel.startswith("RERUN:"):
        import json as _j
        bad = set()
        for f in sel[6:].split(","):
            for r in _j.load(open(f)):
                if r["problems"]: bad.add((r["cmd"], r["label"]))
        todo = [c for c in cases if (c["cmd"], c["label"]) in bad]
    elif sel == "OPTIONS":
        todo = [c for c in cases if re.search('=|duplicate|unknown|stray|locale|misc', c['cmd']+' '+c['label']) and not re.search('out=|--runs|--law |--sweep|--table|FILE|--train|--test|--history|--model|--divergence|--rule|--lr-prior', c['label'])]
    else:
        todo = [c for c in cases if re.search(sel, c["cmd"] + " " + c["label"])]
    print(f"{len(todo)} cases", file=sys.stderr)
    res = []
    with cf.ThreadPoolExecutor(int(os.environ.get("J", "2"))) as ex:
        for r in ex.map(run, todo):
            res.append(r)
            mark = "FAIL" if r["problems"] else "ok"
            print(f"{mark}\t{r['cmd']}\t{r['label']}\trc={r['rc']}\t{r['secs']}s\t{';'.join(r['problems'])}\t{r['err'][:160]}", flush=True)
    json.dump(res, open(os.environ.get("OUTJ", os.path.join(HA, "results.json")), "w"), indent=1)
