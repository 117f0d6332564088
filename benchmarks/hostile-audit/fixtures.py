"""Writes the hostile-audit fixtures (run logs, law files, sweep tables) into $HA/fx (default /tmp/ha/fx); see audit.py."""
import os, struct, math, json, random
HA = os.environ.get("HA", "/tmp/ha")
D = os.path.join(HA, "fx")
SHARED = os.environ.get("SHARED", os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared", "data")))
os.makedirs(D, exist_ok=True)
def w(name, content, mode="w", enc="utf-8"):
    p = os.path.join(D, name)
    d = os.path.dirname(p); os.makedirs(d, exist_ok=True)
    if isinstance(content, bytes):
        open(p, "wb").write(content)
    else:
        open(p, "w", encoding=enc, newline="").write(content)
    return p

def gen(steps, loss=lambda s: 5/math.sqrt(s), lr=lambda s: 1e-3*min(1, s/10), start=1, meta=True, stride=1):
    out = "# name: tiny\n# params: 1.5e6\n# tokens_per_step: 4096\n" if meta else ""
    out += "step,loss,lr\n"
    for s in range(start, steps+1, stride):
        out += f"{s},{loss(s)!r},{lr(s)!r}\n"
    return out

good = gen(200)
w("good.csv", good)
w("good2.csv", gen(300, loss=lambda s: 5.2/math.sqrt(s)))
# A run whose # schedule: comment states 1,000 steps and whose log ends at step 300 (a run in progress), and one with a single loss.
w("schedule-longer.csv", "# schedule: cosine(peak=1e-3,steps=1000,warmup=10)\nstep,loss\n" + "".join(f"{s},{5/math.sqrt(s)!r}\n" for s in range(10, 301, 10)))
w("schedule-one-loss.csv", "# schedule: cosine(peak=1e-3,steps=1000,warmup=10)\nstep,loss\n10,3.2\n")
w("empty.csv", "")
w("whitespace.csv", "   \n\n  \n")
w("header-only.csv", "step,loss,lr\n")
w("single-point.csv", "step,loss,lr\n1,5,1e-3\n")
w("two-points.csv", "step,loss,lr\n1,5,1e-3\n2,4.9,1e-3\n")
w("all-nan.csv", "step,loss,lr\n" + "".join(f"{s},NaN,1e-3\n" for s in range(1,51)))
w("all-nan-tail.csv", "step,loss,lr\n1,5,1e-3\n" + "".join(f"{s},nan,1e-3\n" for s in range(2,51)))
w("constant.csv", gen(200, loss=lambda s: 3.0))
w("increasing.csv", gen(200, loss=lambda s: 2+ s/100))
w("nonmono-steps.csv", "step,loss,lr\n1,5,1e-3\n3,4,1e-3\n2,4.5,1e-3\n4,3.9,1e-3\n")
w("dup-steps.csv", "step,loss,lr\n1,5,1e-3\n2,4.5,1e-3\n2,4.4,1e-3\n3,4,1e-3\n")
w("step0.csv", "step,loss,lr\n" + "".join(f"{s},{5/math.sqrt(s+1)!r},1e-3\n" for s in range(0,200)))
w("lr-zero.csv", gen(200, lr=lambda s: 0.0))
w("lr-zero-partial.csv", gen(200, lr=lambda s: 0.0 if s < 100 else 1e-3))
w("truncated-midline.csv", good[:len(good)//2 + 3])
w("crlf.csv", good.replace("\n", "\r\n"))
w("bom.csv", "\ufeff" + good)
w("utf16.csv", good, enc="utf-16")
w("utf16be.csv", good.encode("utf-16-be"))
w("comma-decimal.csv", "step;loss;lr\n" + "".join(f"{s};{5/math.sqrt(s):.4f};0,001\n".replace(".", ",") for s in range(1,100)))
w("comma-decimal-quoted.csv", "step,loss,lr\n" + "".join(f'{s},"{5/math.sqrt(s):.4f}","0,001"\n'.replace(".", ",") for s in range(1,100)))
w("semicolon.csv", good.replace(",", ";"))
w("tabs.tsv", good.replace(",", "\t"))
w("garbage.csv", bytes(random.Random(1).randrange(256) for _ in range(5000)))
w("nul.csv", b"\0"*1000)
w("only-comments.csv", "# name: x\n# params: 1e6\n")
w("no-loss-col.csv", "step,lr,acc\n1,1e-3,0.5\n2,1e-3,0.6\n")
w("loss-text.csv", "step,loss,lr\n1,abc,1e-3\n2,def,1e-3\n")
w("wide-values.csv", "step,loss,lr\n1,5,1e-3\n2,4.9,1e-3,extra,cols\n")
w("big-step-gap.csv", "step,loss,lr\n1,5,1e-3\n2000000000,4,1e-3\n")
w("neg-inf-loss.csv", "step,loss,lr\n1,5,1e-3\n2,-inf,1e-3\n")
# 10^6 rows
with open(os.path.join(D, "million.csv"), "w") as f:
    f.write("step,loss,lr\n")
    for s in range(1, 1000001):
        f.write(f"{s},{5/math.sqrt(s):.6f},{1e-3 * min(1, s/1000):.6g}\n")
# W&B CSV valid but no loss tag
w("wandb-noloss.csv", '"Step","r1 - train/acc","r1 - train/acc__MIN","r1 - train/acc__MAX"\n"1","0.5","0.5","0.5"\n"2","0.6","0.6","0.6"\n')
w("wandb-ok.csv", '"Step","r1 - train/loss","r1 - train/loss__MIN","r1 - train/loss__MAX"\n' + "".join(f'"{s}","{5/math.sqrt(s)}","{5/math.sqrt(s)}","{5/math.sqrt(s)}"\n' for s in range(1,60)))
w("wandb-empty-values.csv", '"Step","r1 - train/loss","r1 - train/loss__MIN","r1 - train/loss__MAX"\n"1","","",""\n"2","","",""\n')
# W&B JSON export without history / with empty history / no loss key
w("wandb-nohist.json", json.dumps({"config": {"lr": 1e-3}, "history": []}))
w("wandb-noloss.json", json.dumps({"config": {"lr": 1e-3}, "history": [{"_step": i, "acc": 0.1*i} for i in range(1, 20)]}))
w("wandb-null.json", json.dumps({"config": None, "history": None}))
w("trainer-noloss.json", json.dumps({"global_step": 10, "log_history": [{"step": i, "eval_accuracy": 0.5} for i in range(1, 10)]}))
w("trainer-empty.json", json.dumps({"global_step": 0, "log_history": []}))
w("generic-noloss.jsonl", "".join(json.dumps({"step": i, "acc": 0.5}) + "\n" for i in range(1, 20)))
w("generic-empty.jsonl", "")
w("jsonl-utf16.jsonl", "".join(json.dumps({"step": i, "loss": 5/math.sqrt(i), "lr": 1e-3}) + "\n" for i in range(1, 20)), enc="utf-16")

# TensorBoard: crc32c
def _crc_table():
    t = []
    for i in range(256):
        c = i
        for _ in range(8):
            c = (c >> 1) ^ 0x82F63B78 if c & 1 else c >> 1
        t.append(c)
    return t
T = _crc_table()
def crc32c(b):
    c = 0xFFFFFFFF
    for x in b: c = T[(c ^ x) & 0xFF] ^ (c >> 8)
    return c ^ 0xFFFFFFFF
def masked(b):
    c = crc32c(b)
    return (((c >> 15) | (c << 17)) + 0xa282ead8) & 0xFFFFFFFF
def rec(data):
    h = struct.pack("<Q", len(data))
    return h + struct.pack("<I", masked(h)) + data + struct.pack("<I", masked(data))
def varint(v):
    out = b""
    while True:
        b = v & 0x7f; v >>= 7
        if v: out += bytes([b | 0x80])
        else: return out + bytes([b])
def key(f, wt): return varint(f << 3 | wt)
def ld(f, data): return key(f, 2) + varint(len(data)) + data
def event(step, vals):
    ev = key(1, 1) + struct.pack("<d", 1.0) + key(2, 0) + varint(step)
    summ = b""
    for tag, v in vals:
        val = ld(1, tag.encode()) + key(2, 5) + struct.pack("<f", v)
        summ += ld(1, val)
    return ev + ld(5, summ)
def fileversion():
    return key(1, 1) + struct.pack("<d", 1.0) + ld(3, b"brain.Event:2")
tbdir = os.path.join(D, "tb-noloss"); os.makedirs(tbdir, exist_ok=True)
open(os.path.join(tbdir, "events.out.tfevents.1.host"), "wb").write(b"".join(rec(x) for x in [fileversion()] + [event(s, [("train/accuracy", 0.5)]) for s in range(1, 20)]))
tbdir = os.path.join(D, "tb-ok"); os.makedirs(tbdir, exist_ok=True)
open(os.path.join(tbdir, "events.out.tfevents.1.host"), "wb").write(b"".join(rec(x) for x in [fileversion()] + [event(s, [("train/loss", 5/math.sqrt(s)), ("lr", 1e-3)]) for s in range(1, 60)]))
tbdir = os.path.join(D, "tb-versiononly"); os.makedirs(tbdir, exist_ok=True)
open(os.path.join(tbdir, "events.out.tfevents.1.host"), "wb").write(rec(fileversion()))
tbdir = os.path.join(D, "tb-nanloss"); os.makedirs(tbdir, exist_ok=True)
open(os.path.join(tbdir, "events.out.tfevents.1.host"), "wb").write(b"".join(rec(x) for x in [fileversion()] + [event(s, [("train/loss", float("nan")), ("lr", 1e-3)]) for s in range(1, 60)]))
tbdir = os.path.join(D, "tb-truncated"); os.makedirs(tbdir, exist_ok=True)
full = b"".join(rec(x) for x in [fileversion()] + [event(s, [("train/loss", 5/math.sqrt(s)), ("lr", 1e-3)]) for s in range(1, 60)])
open(os.path.join(tbdir, "events.out.tfevents.1.host"), "wb").write(full[:len(full)//2+5])
os.makedirs(os.path.join(D, "emptydir"), exist_ok=True)
# a law
w("law-tissue.json", '{"format":"hyperlaws-law","version":1,"law":"tissue","parameters":{"L0":3.15,"A":0.51,"alpha":0.51,"C":0.40}}')
w("law-empty.json", "")
w("law-bom.json", "\ufeff" + '{"format":"hyperlaws-law","version":1,"law":"tissue","parameters":{"L0":3.15,"A":0.51,"alpha":0.51,"C":0.40}}')
w("law-utf16.json", '{"format":"hyperlaws-law","version":1,"law":"tissue","parameters":{"L0":3.15,"A":0.51,"alpha":0.51,"C":0.40}}', enc="utf-16")
w("law-crlf.json", '{\r\n"format":"hyperlaws-law",\r\n"version":1,"law":"tissue","parameters":{"L0":3.15,"A":0.51,"alpha":0.51,"C":0.40}}\r\n')
w("law-trunc.json", '{"format":"hyperlaws-law","version":1,"law":"tissue","parameters":{"L0":3.15,"A":0.5')
w("law-garbage.json", bytes(random.Random(2).randrange(256) for _ in range(3000)))
w("law-comma.json", '{"format":"hyperlaws-law","version":1,"law":"tissue","parameters":{"L0":3,15,"A":0,51,"alpha":0,51,"C":0,40}}')
w("law-dupkey.json", '{"format":"hyperlaws-law","version":1,"law":"tissue","law":"mpl","parameters":{"L0":3.15,"A":0.51,"alpha":0.51,"C":0.40}}')
w("law-zero.json", '{"format":"hyperlaws-law","version":1,"law":"tissue","parameters":{"L0":0,"A":0,"alpha":0,"C":0}}')
w("law-extra.json", '{"format":"hyperlaws-law","version":1,"law":"tissue","parameters":{"L0":3.15,"A":0.51,"alpha":0.51,"C":0.40,"Z":1}}')
w("law-wrongformat.json", '{"format":"hyperlaws-divergence","version":1,"law":"tissue","parameters":{"L0":3.15,"A":0.51,"alpha":0.51,"C":0.40}}')
w("law-is-run.json", json.dumps({"config": {"lr": 1e-3}, "history": [{"_step": i, "loss": 5/math.sqrt(i)} for i in range(1, 20)]}))
# Helper hostile: non-UTF-8 text, a very long line, a number that overflows a double (1e309), negative steps,
# FIFOs where a file is read (a reader that opens one blocks until a writer comes: the audit's timeout would show it).
w("latin1.csv", "# name: caf\xe9\n" + good.replace("step,loss,lr", "step,loss,lr\xb5"), enc="latin-1")
w("longline.csv", "step,loss,lr\n1," + "9" * 2_000_000 + ",1e-3\n2,4,1e-3\n")
w("huge-loss.csv", "step,loss,lr\n1,5,1e-3\n2,1e309,1e-3\n3,4,1e-3\n")
w("neg-step.csv", "step,loss,lr\n-2,5,1e-3\n-1,4.5,1e-3\n1,4,1e-3\n")
w("law-huge.json", '{"format":"hyperlaws-law","version":1,"law":"tissue","parameters":{"L0":1e309,"A":0.51,"alpha":0.51,"C":0.40}}')
w("law-latin1.json", '{"format":"hyperlaws-law","version":1,"law":"tissu\xe9","parameters":{"L0":3.15,"A":0.51,"alpha":0.51,"C":0.40}}', enc="latin-1")
w("law-longline.json", '{"format":"hyperlaws-law","version":1,"law":"tissue","stopReason":"' + "x" * 2_000_000 + '","parameters":{"L0":3.15,"A":0.51,"alpha":0.51,"C":0.40}}')
for fifo in ("fifo.csv", "law-fifo.json"):
    if not os.path.exists(os.path.join(D, fifo)): os.mkfifo(os.path.join(D, fifo))
# sweep tables
w("sweep-header-only.csv", open(os.path.join(SHARED, "steplaw/data/dense_lr_bs_loss.csv")).readline())
lines = open(os.path.join(SHARED, "steplaw/data/dense_lr_bs_loss.csv")).read().splitlines(True)
w("sweep-one-row.csv", "".join(lines[:2]))
w("sweep-truncated.csv", "".join(lines[:len(lines)//2]) + lines[len(lines)//2][:7])
w("sweep-crlf.csv", "".join(lines).replace("\n", "\r\n"))
w("sweep-bom.csv", "\ufeff" + "".join(lines))
w("sweep-utf16.csv", "".join(lines), enc="utf-16")
print(lines[0][:200]); print(lines[1][:200])
