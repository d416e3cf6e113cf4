"""Saving and restoring everything a training run needs to continue bit-for-bit: model, optimizer, LR schedule,
random number generators (torch CPU / CUDA, Python, the batch sampler's generator) and counters."""

import os
import random

import torch


def save(path, step, model, opt, sched, sampler_gen, extra):
    """Writes a checkpoint atomically (a half-written file is never left under ``path``); returns ``path``."""
    state = {
        "step": step,
        "model": model.state_dict(),
        "optimizer": opt.state_dict(),
        "scheduler": sched.state_dict(),
        "rng": {
            "torch": torch.get_rng_state(),
            "cuda": torch.cuda.get_rng_state_all() if torch.cuda.is_available() else [],
            "python": random.getstate(),
            "sampler": sampler_gen.get_state(),
        },
        "extra": extra,
    }
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    tmp = path + ".tmp"
    torch.save(state, tmp)
    os.replace(tmp, path)
    return path


def load(path, model, opt, sched, sampler_gen):
    """Restores a checkpoint written by ``save`` into the given objects; returns (step, extra)."""
    try:
        state = torch.load(path, map_location="cpu", weights_only=False)  # our own file; holds Python RNG state
    except TypeError:  # PyTorch < 1.13 has no weights_only
        state = torch.load(path, map_location="cpu")
    model.load_state_dict(state["model"])
    opt.load_state_dict(state["optimizer"])
    sched.load_state_dict(state["scheduler"])
    rng = state["rng"]
    torch.set_rng_state(rng["torch"])
    if rng["cuda"] and torch.cuda.is_available():
        torch.cuda.set_rng_state_all(rng["cuda"])
    random.setstate(rng["python"])
    sampler_gen.set_state(rng["sampler"])
    return state["step"], state["extra"]
