"""Fine-tunes the tiny pretrained GPT (``base.pt``) on string reversal, reporting to Winnow.

A real PyTorch fine-tuning loop: AdamW, linear warmup then cosine decay, gradient clipping, dropout, optional
hand-written LoRA, a held-out eval set, checkpoints that restore everything (model, optimizer, schedule, RNGs,
step). Hyperparameters come from Winnow (``winnow_client``); defaults apply when run by hand::

    python3 train.py                       # outside Winnow: default hyperparameters, prints eval loss
    npx winnow tune study.yaml             # tuned by Winnow (see README.md)

Winnow protocol use: ``WINNOW_TARGET`` is the step to train to in this run (ASHA's rung; empty = ``--max-steps``);
the LR schedule always spans ``--max-steps`` so a paused and resumed trial follows the same schedule as one run
straight through. Every ``--eval-every`` steps the eval loss is reported; on ``pause`` a checkpoint is written
to ``WINNOW_CHECKPOINT_DIR`` and announced, then the script exits 0; on ``prune`` it exits at once.
``WINNOW_RESUME_FROM`` continues from a checkpoint (step counter, data order and schedule included).
"""

import time

T0 = time.time()  # process start, before the (slow) torch import; the setup time printed below counts from here

import argparse  # noqa: E402
import json  # noqa: E402
import math  # noqa: E402
import os  # noqa: E402
import signal  # noqa: E402
import sys  # noqa: E402

try:
    import torch
except ImportError:
    raise SystemExit(
        "train.py: PyTorch is not installed for %s. Run the study with an interpreter that has it: put it first on "
        "PATH, or write its path in study.yaml's command (e.g. [/usr/bin/python3, train.py, ...])." % sys.executable
    )

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "clients", "python"))  # when run by hand; Winnow sets PYTHONPATH
import checkpoint  # noqa: E402
import winnow_client as winnow  # noqa: E402
from data import encode, task_rows  # noqa: E402
from model import GPT, Config, add_lora, count_params  # noqa: E402

DEFAULTS = {
    "learning_rate": 1e-3,
    "batch_size": 16,
    "weight_decay": 0.01,
    "warmup_ratio": 0.05,
    "dropout": 0.0,
    "data_fraction": 1.0,
    "lora_r": 0,  # 0 = full fine-tuning
}
N_TRAIN, N_EVAL = 2000, 128


def hyperparameters(given):
    """Defaults overridden by Winnow's values, cast to the types the loop needs."""
    unknown = sorted(set(given) - set(DEFAULTS))
    if unknown:
        raise SystemExit("train.py: unknown parameter(s) %s; known: %s" % (unknown, sorted(DEFAULTS)))
    p = dict(DEFAULTS, **given)
    p["batch_size"], p["lora_r"] = int(p["batch_size"]), int(p["lora_r"])
    for k in ("learning_rate", "weight_decay", "warmup_ratio", "dropout", "data_fraction"):
        p[k] = float(p[k])
    if not 0 < p["data_fraction"] <= 1:
        raise SystemExit("train.py: data_fraction must be in (0, 1], got %r" % p["data_fraction"])
    return p


def build_model(base_path, p, device):
    """The pretrained base with dropout set, LoRA-wrapped when lora_r > 0."""
    try:
        base = torch.load(base_path, map_location="cpu", weights_only=True)
    except TypeError:
        base = torch.load(base_path, map_location="cpu")
    model = GPT(Config(**json.loads(base["meta"])["config"]))
    model.load_state_dict({k: v.float() for k, v in base["model"].items()})
    model.set_dropout(p["dropout"])
    if p["lora_r"] > 0:
        add_lora(model, p["lora_r"], alpha=2 * p["lora_r"], dropout=p["dropout"])
    return model.to(device)


def optimizer_and_schedule(model, p, max_steps):
    """AdamW (no decay on biases, norms, embeddings' positions) and warmup + cosine to 10% over max_steps."""
    decay = [q for n, q in model.named_parameters() if q.requires_grad and q.dim() >= 2 and "pos" not in n]
    rest = [q for n, q in model.named_parameters() if q.requires_grad and not (q.dim() >= 2 and "pos" not in n)]
    groups = [{"params": decay, "weight_decay": p["weight_decay"]}, {"params": rest, "weight_decay": 0.0}]
    opt = torch.optim.AdamW([g for g in groups if g["params"]], lr=p["learning_rate"], betas=(0.9, 0.98))
    warmup = int(round(p["warmup_ratio"] * max_steps))

    def factor(s):  # s = optimizer steps taken so far
        if s < warmup:
            return (s + 1) / (warmup + 1)
        progress = (s - warmup) / max(1, max_steps - warmup)
        return 0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * min(1.0, progress)))

    return opt, torch.optim.lr_scheduler.LambdaLR(opt, factor)


@torch.no_grad()
def evaluate(model, x, y):
    """Teacher-forced loss and per-character accuracy on the answer characters of the eval set."""
    model.eval()
    logits, loss = model(x, y)
    mask = y != -1
    acc = (logits.argmax(-1)[mask] == y[mask]).float().mean()
    model.train()
    return loss.item(), acc.item()


def main():
    ap = argparse.ArgumentParser(description="Fine-tune the tiny GPT on string reversal (Winnow example).")
    ap.add_argument("--max-steps", type=int, default=80, help="full-fidelity training length")
    ap.add_argument("--eval-every", type=int, default=10)
    ap.add_argument("--base", default=os.path.join(HERE, "base.pt"))
    ap.add_argument("--device", default="auto", help="auto, cpu or cuda")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--checkpoint-dir", help="default: WINNOW_CHECKPOINT_DIR; outside Winnow, none (no saving)")
    a = ap.parse_args()

    torch.set_num_threads(1)  # trials run side by side; one core each
    device = torch.device("cuda" if a.device == "auto" and torch.cuda.is_available() else a.device.replace("auto", "cpu"))
    w = winnow.connect()
    p = hyperparameters(w.params())
    target = a.max_steps if w.target is None else min(a.max_steps, int(round(w.target)))
    torch.manual_seed(a.seed)

    rows, seen = task_rows(["rev"], N_TRAIN, seed=100)
    ev_x, ev_y = (t.to(device) for t in encode(task_rows(["rev"], N_EVAL, seed=200, exclude=seen)[0]))
    n_used = max(p["batch_size"], int(N_TRAIN * p["data_fraction"]))
    tr_x, tr_y = (t.to(device) for t in encode(rows[:n_used]))

    model = build_model(a.base, p, device)
    opt, sched = optimizer_and_schedule(model, p, a.max_steps)
    gen = torch.Generator().manual_seed(a.seed + 1)  # batch order; saved with checkpoints
    step, tokens, resumed_from = 0, 0, 0
    if w.resume_from:
        step, extra = checkpoint.load(w.resume_from, model, opt, sched, gen)
        tokens, resumed_from = extra["tokens"], step
        if extra["params"] != p:
            print("warning: checkpoint was trained with %s, now %s" % (extra["params"], p), flush=True)
    print(
        "trial %s: %s, %d/%d trainable params, %d train rows, steps %d -> %d of %d on %s (setup %.1fs)"
        % (w.trial_number, p, count_params(model, True), count_params(model), n_used, step, target, a.max_steps,
           device, time.time() - T0),
        flush=True,
    )

    stop = []  # SIGTERM (run interrupted): checkpoint at the next step, so the re-queued trial resumes there
    signal.signal(signal.SIGTERM, lambda *_: stop.append("SIGTERM"))

    ckpt_dir = a.checkpoint_dir or w.checkpoint_dir

    def save():
        if not ckpt_dir:
            return
        path = os.path.join(ckpt_dir, "step-%06d.pt" % step)
        checkpoint.save(path, step, model, opt, sched, gen, {"tokens": tokens, "params": p})
        w.checkpoint(path, step)

    eval_loss = float("nan")
    while step < target:
        idx = torch.randint(0, n_used, (p["batch_size"],), generator=gen).to(device)
        x, y = tr_x[idx], tr_y[idx]
        _, loss = model(x, y)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_([q for q in model.parameters() if q.requires_grad], 1.0)
        opt.step()
        sched.step()
        step += 1
        tokens += int((x != 0).sum())
        if stop:
            save()
            print("stopped by %s at step %d; checkpoint saved" % (stop[0], step), flush=True)
            sys.exit(143)
        if step % a.eval_every == 0 or step == target:
            eval_loss, acc = evaluate(model, ev_x, ev_y)
            print("step %d train_loss %.4f eval_loss %.4f eval_char_acc %.3f" % (step, loss.item(), eval_loss, acc), flush=True)
            metrics = {"eval_loss": eval_loss, "eval_char_acc": acc, "train_loss": loss.item(), "tokens": tokens,
                       "lr": sched.get_last_lr()[0], "resumed_from": resumed_from}
            decision = w.report(step, metrics)
            if decision["action"] == "pause":
                save()
                print("paused at step %d (%s)" % (step, decision.get("reason", "")), flush=True)
                return
            if decision["action"] == "prune":
                print("pruned at step %d (%s)" % (step, decision.get("reason", "")), flush=True)
                return
    save()  # trained to this run's target (full fidelity or a rung): keep the state for a later promotion
    if step >= a.max_steps:
        w.complete({"eval_loss": eval_loss})
    print("done at step %d, eval_loss %.4f (%.1fs)" % (step, eval_loss, time.time() - T0), flush=True)


if __name__ == "__main__":
    main()
