"""Writes nanogpt_wandb_history.jsonl: the W&B history rows nanoGPT's train.py logs, with the values of the real llm.c log
../modded_nanogpt/llmc_gpt2_124m.head.log (MIT, see that folder's README).

nanoGPT (github.com/karpathy/nanoGPT, train.py, MIT) sets `lr = get_lr(iter_num)` (the LR of the update that follows), then,
when `iter_num % eval_interval == 0`, runs `estimate_loss()` on the model after iter_num updates and calls
    wandb.log({"iter": iter_num, "train/loss": losses['train'], "val/loss": losses['val'], "lr": lr, "mfu": running_mfu*100})
without step=, so W&B's `_step` counts the calls (0, 1, 2, ...); each history row also gets `_runtime` and `_timestamp`.
llm.c evaluates at the same place (top of the loop, after k updates) every 250 steps: eval_interval = 250.

Values: "val/loss" is llm.c's `s:k tel:X`; "train/loss" is llm.c's `s:k trl:X` (one batch, a stand-in for estimate_loss's mean
over eval_iters training batches); "lr" is the lr printed at `s:k` (llm.c prints eta_{k+1} there, the LR get_lr(k) gives).
"mfu" is -100.0 at iter 0 (running_mfu starts at -1.0) and a stand-in 30.0 later; `_runtime` and `_timestamp` are stand-ins.
"""
import json, re
from pathlib import Path

here = Path(__file__).parent
trl, tel, lr = {}, {}, {}
for line in (here / "../modded_nanogpt/llmc_gpt2_124m.head.log").read_text().splitlines():
    m = re.match(r"s:(\d+) (trl|tel):(\S+)(?: lr:(\S+))?", line)
    k = int(m[1])
    if m[2] == "trl":
        trl[k], lr[k] = m[3], m[4]
    else:
        tel[k] = m[3]

out = []
for n, k in enumerate(sorted(tel)):
    row = {"iter": k, "train/loss": float(trl[k]), "val/loss": float(tel[k]), "lr": float(lr[k]), "mfu": -100.0 if k == 0 else 30.0,
           "_timestamp": 1700000000.0 + 60.0 * n, "_runtime": 5.0 + 60.0 * n, "_step": n}
    out.append(json.dumps(row))
(here / "nanogpt_wandb_history.jsonl").write_text("\n".join(out) + "\n")
