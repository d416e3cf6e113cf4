"""Pretrains the tiny base model that ``train.py`` fine-tunes, and writes ``base.pt`` (~0.25 MB).

The base learns six string operations (copy, upper-case, shift, sort, rotate left / right); the fine-tuning task,
reversal, is held out. Everything is seeded and single-threaded, so the same PyTorch build on the same CPU writes
the same weights. Takes a few minutes on one CPU core::

    python3 pretrain.py            # writes base.pt beside this file
    python3 pretrain.py --steps 200 --out /tmp/base.pt   # a quick, weaker base
"""

import argparse
import json
import math
import os
import random
import time

import torch

from data import BLOCK, PRETRAIN_OPS, VOCAB, encode, example, random_string, task_rows
from model import GPT, Config, count_params

HERE = os.path.dirname(os.path.abspath(__file__))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--steps", type=int, default=2000)
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--lr", type=float, default=3e-3)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--d-model", type=int, default=48)
    ap.add_argument("--n-layer", type=int, default=2)
    ap.add_argument("--out", default=os.path.join(HERE, "base.pt"))
    a = ap.parse_args()

    torch.set_num_threads(1)
    torch.manual_seed(a.seed)
    rng = random.Random(a.seed)
    config = Config(vocab=VOCAB, block=BLOCK, d_model=a.d_model, n_layer=a.n_layer)
    model = GPT(config)
    opt = torch.optim.AdamW(model.parameters(), lr=a.lr, weight_decay=0.01, betas=(0.9, 0.98))
    warmup = a.steps // 20
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt,
        lambda s: (s + 1) / warmup if s < warmup else 0.5 * (1 + math.cos(math.pi * (s - warmup) / (a.steps - warmup))),
    )
    ev_x, ev_y = encode(task_rows(PRETRAIN_OPS, 256, seed=a.seed + 1)[0])
    print("pretraining %d params for %d steps" % (count_params(model), a.steps), flush=True)
    t0 = time.time()
    for step in range(1, a.steps + 1):
        rows = [example(PRETRAIN_OPS[rng.randrange(len(PRETRAIN_OPS))], random_string(rng)) for _ in range(a.batch_size)]
        x, y = encode(rows)
        _, loss = model(x, y)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        sched.step()
        if step % 100 == 0 or step == a.steps:
            model.eval()
            with torch.no_grad():
                ev = model(ev_x, ev_y)[1].item()
            model.train()
            print("step %d train_loss %.4f eval_loss %.4f (%.0fs)" % (step, loss.item(), ev, time.time() - t0), flush=True)
    state = {k: v.detach().clone() for k, v in model.state_dict().items()}
    # Metadata as JSON text: PyTorch 1.13's weights_only loader cannot read pickled floats.
    meta = {"config": config.to_dict(), "pretrain": {k: v for k, v in vars(a).items() if k != "out"}}
    torch.save({"meta": json.dumps(meta), "model": state}, a.out)
    print("wrote %s (%d bytes)" % (a.out, os.path.getsize(a.out)))


if __name__ == "__main__":
    main()
