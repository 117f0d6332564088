"""Writes llmc_resumed.jsonl from the real llm.c log ../modded_nanogpt/llmc_gpt2_124m.head.log (MIT, see that folder's README).

Generic JSONL conventions (docs/RUN-FORMATS.md): the loss at step k is after k updates, the lr at step k is eta_k. llm.c's
`s:k trl:X lr:Y` is the loss after k updates and Y = eta_{k+1}; `s:k tel:X` the validation loss after k updates. So row k holds
trl of s:k and the lr printed at s:k-1; step 0 (the untrained model) is left out (generic steps count from 1).

The crash and resume follow llm.c's rule (train_gpt2.cu: a checkpoint at every step % checkpoint_every == 0, saved at the top of
the loop before that step's update; `-y 1` loads the latest one, `load_state(&step, ...)`, reopens main.log for appending and
runs `for (; step <= train_num_batches; step++)` from the checkpoint's step, logging its validation and training lines again):
checkpoint_every = 500, a crash after the line of step 640, a resume from step 500 that logs 500..995. The resumed segment has
the real values. The abandoned segment's training losses of steps 501..640 are the real ones + 0.01 (a stand-in for the
trajectory that differed after the checkpoint: the job's other values are not known); step 500's (same weights, same restored
batch) and the validation at 500 (same weights) are the real ones. Reading the file must give the real log's curve.
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

def rows(first, last, abandoned=False):
    for k in range(first, last + 1):
        if k in tel:
            yield f'{{"step": {k}, "loss": {tel[k]}, "split": "val"}}'
        loss = f"{float(trl[k]) + 0.01:.4f}" if abandoned and k > 500 else trl[k]
        yield f'{{"step": {k}, "loss": {loss}, "lr": {lr[k - 1]}}}'

out = ['{"meta": {"name": "llmc_gpt2_124m_resumed", "train_losses": "batch", "source": "llm.c main.log, crash at 640, resumed from checkpoint 500"}}']
out += rows(1, 640, abandoned=True)
out += rows(500, max(trl))
(here / "llmc_resumed.jsonl").write_text("\n".join(out) + "\n")
