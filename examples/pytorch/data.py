"""Procedural string tasks, one example per row: ``<op>:<input>=<answer>\\n`` (same tasks as examples/tiny-lm).

Pretraining mixes six operations; the fine-tuning task ``rev`` (reversal) never appears in pretraining. The loss
is taken only on the answer characters (after ``=``), so eval loss measures how well the task is solved.
"""

import random

import torch

CHARS = "\0\n:=abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
VOCAB = 64  # len(CHARS) rounded up; the extra ids never occur
MIN_LEN, MAX_LEN = 3, 8
BLOCK = 24  # "op:" + 8 chars + "=" + 8 chars + "\n" = 21 <= 24
_ID = {ch: i for i, ch in enumerate(CHARS)}

OPS = {
    "cpy": lambda s: s,
    "upp": lambda s: s.upper(),
    "shf": lambda s: "".join(chr(97 + (ord(c) - 96) % 26) for c in s),
    "srt": lambda s: "".join(sorted(s)),
    "rtl": lambda s: s[1:] + s[:1],
    "rtr": lambda s: s[-1:] + s[:-1],
    "rev": lambda s: s[::-1],
}
PRETRAIN_OPS = ["cpy", "upp", "shf", "srt", "rtl", "rtr"]


def example(op, s):
    """One example row as text."""
    return "%s:%s=%s\n" % (op, s, OPS[op](s))


def random_string(rng):
    """A random lowercase string of length MIN_LEN..MAX_LEN."""
    return "".join(chr(97 + rng.randrange(26)) for _ in range(rng.randint(MIN_LEN, MAX_LEN)))


def encode(rows):
    """Tokenises rows into (tokens, targets) LongTensors of shape (n, BLOCK); targets are -1 outside answers."""
    tokens = torch.zeros(len(rows), BLOCK, dtype=torch.long)
    targets = torch.full((len(rows), BLOCK), -1, dtype=torch.long)
    for r, text in enumerate(rows):
        ids = [_ID[ch] for ch in text]
        tokens[r, : len(ids)] = torch.tensor(ids)
        eq = text.index("=")
        for t in range(eq, len(ids) - 1):  # predict each answer char and the closing newline
            targets[r, t] = ids[t + 1]
    return tokens, targets


def task_rows(ops, n, seed, exclude=()):
    """n distinct example rows of the given ops (drawn round-robin), seeded, avoiding inputs in ``exclude``."""
    rng = random.Random(seed)
    seen = set(exclude)
    rows = []
    while len(rows) < n:
        s = random_string(rng)
        if s in seen:
            continue
        seen.add(s)
        rows.append(example(ops[len(rows) % len(ops)], s))
    return rows, seen
