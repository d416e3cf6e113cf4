"""Winnow's trial client for Python training scripts: one file, standard library only.

Copy it next to your script or rely on Winnow putting its folder on ``PYTHONPATH``::

    import winnow_client as winnow

    w = winnow.connect()
    lr = float(w.params().get("learning_rate", 3e-4))
    start = load_checkpoint(w.resume_from) if w.resume_from else 0   # promoted or recovered: go on from there
    for step in range(start + 1, int(w.target or 1000) + 1):
        loss = train_step()
        if step % 100 == 0:
            decision = w.report(step, {"eval_loss": evaluate(), "tokens": tokens_seen})
            w.checkpoint(save_checkpoint(w.checkpoint_dir, step), step)   # model, optimizer, step: for a resume
            if decision["action"] != "continue":   # "prune" or "pause": stop (a paused trial resumes from it)
                sys.exit(0)
    w.complete({"eval_loss": evaluate()})

Hugging Face Trainer / TRL: ``trainer.add_callback(winnow.WinnowCallback())`` (reports at each evaluation, stops
on prune, saves then stops on pause, announces each checkpoint) and
``trainer.train(resume_from_checkpoint=w.resume_from)``. Lightning:
``Trainer(callbacks=[winnow.WinnowLightningCallback()])``. See README.md beside this file.
Both import their framework lazily, so this module imports without them.

Transport: HTTP POST to ``$WINNOW_REPORT_URL/{report,checkpoint,complete,fail}`` with
``Authorization: Bearer $WINNOW_TOKEN``. Without a URL but under Winnow (``WINNOW_TRIAL_ID`` set), messages are
printed as ``WINNOW {json}`` lines on stdout and decisions are enforced by the runner with signals. Outside
Winnow every call is a no-op and ``report`` returns ``{"action": "continue"}``. If the runner cannot be
reached (it crashed), ``report`` answers ``pause``: save and exit, the next ``winnow tune`` resumes the trial.

Multi-process trials (torchrun, accelerate): only rank 0 (``RANK`` / ``LOCAL_RANK`` unset or 0) talks to
Winnow. Call ``report`` on EVERY rank at the same points: if ``torch.distributed`` is initialised, rank 0's
decision is broadcast to all ranks, so they stop together. If it is not, other ranks get ``continue`` and are
ended by the runner's SIGTERM to the trial's process group when rank 0 exits or ignores a decision.
"""

import json
import math
import os
import sys
import time
import urllib.error
import urllib.request

__all__ = ["connect", "Winnow", "WinnowCallback", "WinnowLightningCallback"]

# The runner listens on this machine (WINNOW_REPORT_URL is 127.0.0.1): an http_proxy / HTTPS_PROXY set for the
# cluster must not carry the reports away, so the client opens URLs without any proxy.
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))

CONTINUE = {"action": "continue"}


def _rank():
    for name in ("RANK", "LOCAL_RANK"):
        raw = os.environ.get(name)
        if raw not in (None, ""):
            try:
                return int(raw)
            except ValueError:
                return 0
    return 0


def _optional_float(raw):
    if raw in (None, ""):
        return None
    try:
        return float(raw)
    except ValueError:
        return None


def _warn(message):
    sys.stderr.write("winnow_client: %s\n" % message)
    sys.stderr.flush()


def _scalar(value):
    """A torch / numpy scalar as a Python number; None (left out) for a tensor of several elements."""
    if hasattr(value, "item") and callable(value.item):
        try:
            return value.item()
        except (ValueError, RuntimeError):
            return None
    return value


def _encode(metrics):
    out = {}
    for key, value in (metrics or {}).items():
        if value is None:
            continue
        scalar = _scalar(value)
        if scalar is None:
            _warn("metric %r is not a single number (a tensor of several elements?); left out of the report" % key)
            continue
        value = scalar
        if isinstance(value, bool) or isinstance(value, str):
            out[key] = value
        elif isinstance(value, (int, float)):
            out[key] = value if math.isfinite(value) else str(float(value)).replace("inf", "Infinity").replace("nan", "NaN")
    return out


def _dist():
    """torch.distributed when the script already imported and initialised it; never imports torch itself."""
    dist = sys.modules.get("torch.distributed")
    try:
        if dist is not None and dist.is_available() and dist.is_initialized() and dist.get_world_size() > 1:
            return dist
    except Exception:  # pragma: no cover - a half-initialised backend
        return None
    return None


class Winnow:
    """A connection to the Winnow runner of this trial (see the module docstring)."""

    def __init__(self, environ=None):
        env = os.environ if environ is None else environ
        self.trial_id = env.get("WINNOW_TRIAL_ID") or None
        self.active = self.trial_id is not None
        raw = env.get("WINNOW_PARAMS") or "{}"
        try:
            self._params = json.loads(raw)
        except ValueError as e:
            raise ValueError("WINNOW_PARAMS is not valid JSON: %r (%s)" % (raw[:80], e))
        num = env.get("WINNOW_TRIAL_NUMBER")
        self.trial_number = int(num) if num not in (None, "") else None
        self.study = env.get("WINNOW_STUDY") or None
        self._url = env.get("WINNOW_REPORT_URL") or None
        self._token = env.get("WINNOW_TOKEN") or ""
        self._checkpoint_dir = env.get("WINNOW_CHECKPOINT_DIR") or None
        self._resume_from = env.get("WINNOW_RESUME_FROM") or None
        self._target = _optional_float(env.get("WINNOW_TARGET"))
        self.rank = _rank() if environ is None else int(env.get("RANK") or env.get("LOCAL_RANK") or 0)

    # -- what Winnow gave this trial

    def params(self):
        """The trial's parameter values (a new dict)."""
        return dict(self._params)

    @property
    def checkpoint_dir(self):
        """This trial's own checkpoint folder, or None outside Winnow."""
        return self._checkpoint_dir

    @property
    def resume_from(self):
        """A checkpoint to continue from (resumed or promoted trial), or None."""
        return self._resume_from

    @property
    def target(self):
        """The resource (steps / epochs / data fraction) to reach in this run, or None."""
        return self._target

    # -- what the trial tells Winnow

    def report(self, step, metrics):
        """Reports metrics at a step; returns the decision dict ``{"action": ..., "reason": ...}``.

        A reporting mistake never ends the training: a step that is not a number >= 0 (a torch tensor is read as
        its number) or a report the runner rejects is skipped with a warning on stderr, and training continues.
        """
        decision = CONTINUE
        step = _scalar(step)
        if isinstance(step, bool) or not isinstance(step, (int, float)) or not math.isfinite(step) or step < 0:
            if self.rank == 0:
                _warn("report at step %r skipped: the step must be a number >= 0 (the training step or epoch)" % (step,))
            return dict(decision)
        if self.rank == 0:
            body = self._send("report", {"step": step, "metrics": _encode(metrics)})
            if isinstance(body, dict) and isinstance(body.get("decision"), dict):
                decision = body["decision"]
        dist = _dist()
        if dist is not None:
            box = [decision]
            dist.broadcast_object_list(box, src=0)
            decision = box[0]
        return dict(decision)

    def checkpoint(self, path, step=None):
        """Tells Winnow where the latest checkpoint is (kept for resume, pruned by the retention policy)."""
        payload = {"path": str(path)}
        if step is not None:
            payload["step"] = step
        self._send("checkpoint", payload)

    def complete(self, metrics):
        """Reports the final metrics."""
        self._send("complete", {"metrics": _encode(metrics)})

    def fail(self, message):
        """Marks the trial failed with a message (the script should then exit)."""
        self._send("fail", {"message": str(message)})

    def _send(self, kind, payload):
        if not self.active or self.rank != 0:
            return None
        if self._url is None:
            sys.stdout.write("WINNOW " + json.dumps(dict(payload, type=kind)) + "\n")
            sys.stdout.flush()
            return None
        data = json.dumps(payload).encode("utf-8")
        last = None
        for wait in (0, 0.2, 0.5, 1.0):  # ride over a busy runner; past that it is gone
            if wait:
                time.sleep(wait)
            req = urllib.request.Request(
                self._url + "/" + kind,
                data=data,
                method="POST",
                headers={"content-type": "application/json", "authorization": "Bearer " + self._token},
            )
            try:
                with _OPENER.open(req, timeout=30) as res:
                    text = res.read().decode("utf-8")
                    return json.loads(text) if text else None
            except urllib.error.HTTPError as e:
                detail = e.read()[:200]
                if e.code == 400 and kind in ("report", "checkpoint"):
                    # A malformed report must not end hours of training; the runner has the rest of the curve.
                    _warn("Winnow rejected the %s message (HTTP 400): %s; training goes on" % (kind, detail))
                    return None
                if e.code in (400, 401):
                    raise RuntimeError("Winnow rejected the %s message (HTTP %d): %s" % (kind, e.code, detail))
                last = e
            except (urllib.error.URLError, OSError, ValueError) as e:
                last = e
        reason = "Winnow runner unreachable at %s: %s" % (self._url, last)
        sys.stderr.write("winnow_client: the %s message was not delivered. %s\n" % (kind, reason))
        sys.stderr.flush()
        if kind == "report":
            return {"decision": {"action": "pause", "reason": reason}}
        return None


_default = None


def connect(environ=None):
    """The trial's connection, from the WINNOW_* environment (a no-op one outside Winnow)."""
    global _default
    if environ is not None:
        return Winnow(environ)
    if _default is None:
        _default = Winnow()
    return _default


# -- framework callbacks (frameworks imported lazily)


class _HFCallbackLogic:
    """Hugging Face ``Trainer`` callback: reports each evaluation to Winnow and obeys its decision.

    ``WinnowCallback(metric="eval_loss", winnow=None, extra_metrics=None)``. ``metric`` is the name the study
    optimises; it is looked up in the evaluation metrics as given or with HF's ``eval_`` prefix (``metric="loss"``
    finds ``eval_loss``). An evaluation without it (e.g. a second eval set, prefixed ``eval_<name>_``) is not
    reported. ``extra_metrics``, a function returning a dict, adds metrics the evaluation does not have to every
    report, e.g. the peak GPU memory a study's ``constraints:`` bound:
    ``extra_metrics=lambda: {"peak_mem_gb": torch.cuda.max_memory_allocated() / 1e9}``.

    - ``on_evaluate``: reports ``state.global_step`` with the metrics (plus ``tokens`` from
      ``state.num_input_tokens_seen`` when the Trainer counts them). ``prune``: training stops, nothing is saved.
      ``pause``: ``control.should_save`` is set so the Trainer writes a checkpoint at this step, then stops.
    - ``on_save``: tells Winnow the checkpoint path, ``args.output_dir/checkpoint-<global_step>`` (the Trainer's
      own layout), so a promoted or recovered trial gets it back as ``WINNOW_RESUME_FROM``. Resume with
      ``trainer.train(resume_from_checkpoint=w.resume_from)``; a warning is printed when Winnow gave a
      checkpoint but training starts at step 0.
    - torchrun / accelerate: every rank runs the callback; only rank 0 talks to Winnow, and its decision is
      broadcast (``torch.distributed``) so every rank saves and stops at the same step.
    """

    def __init__(self, metric="eval_loss", winnow=None, extra_metrics=None):
        self.metric = metric
        self.winnow = winnow
        self.extra_metrics = extra_metrics
        self.last_decision = CONTINUE
        self._warned_missing = False

    def _w(self):
        if self.winnow is None:
            self.winnow = connect()
        return self.winnow

    def _value(self, metrics):
        for key in (self.metric, "eval_" + self.metric):
            if key in metrics:
                return key
        return None

    def on_train_begin(self, args, state, control, **kwargs):
        w = self._w()
        if w.resume_from and state.global_step == 0 and w.rank == 0:
            sys.stderr.write(
                "winnow: this trial should continue from %s but training starts at step 0; pass "
                "trainer.train(resume_from_checkpoint=w.resume_from)\n" % w.resume_from
            )
        return control

    def on_evaluate(self, args, state, control, metrics=None, **kwargs):
        metrics = dict(metrics or {})
        key = self._value(metrics)
        if key is None:
            if not self._warned_missing and self._w().rank == 0:
                self._warned_missing = True
                sys.stderr.write(
                    "winnow: evaluation metrics %s have no %r (nor %r); not reported. Set "
                    "WinnowCallback(metric=...) to the study's metric.\n"
                    % (sorted(metrics), self.metric, "eval_" + self.metric)
                )
            return control
        metrics.setdefault(self.metric, metrics[key])
        tokens = getattr(state, "num_input_tokens_seen", None)
        if tokens:
            metrics.setdefault("tokens", tokens)
        if self.extra_metrics is not None:
            metrics.update(self.extra_metrics() or {})
        decision = self._w().report(state.global_step, metrics)  # every rank: the decision is broadcast
        self.last_decision = decision
        if decision.get("action") == "pause":
            control.should_save = True
            control.should_training_stop = True
        elif decision.get("action") == "prune":
            control.should_training_stop = True
        return control

    def on_save(self, args, state, control, **kwargs):
        if getattr(state, "is_world_process_zero", True):
            path = os.path.join(args.output_dir, "checkpoint-%d" % state.global_step)
            self._w().checkpoint(path, state.global_step)
        return control


class _LightningCallbackLogic:
    """What WinnowLightningCallback does; a plain class so it works (and is testable) without Lightning."""

    def __init__(self, metric="val_loss", winnow=None, save_on_pause=True):
        self.metric = metric
        self.winnow = winnow
        self.save_on_pause = save_on_pause
        self.last_decision = CONTINUE

    def _w(self):
        if self.winnow is None:
            self.winnow = connect()
        return self.winnow

    def on_validation_end(self, trainer, pl_module):
        if getattr(trainer, "sanity_checking", False):
            return
        metrics = {k: v for k, v in dict(getattr(trainer, "callback_metrics", {}) or {}).items()}
        w = self._w()
        decision = w.report(trainer.global_step, metrics)
        self.last_decision = decision
        action = decision.get("action")
        if action == "pause" and self.save_on_pause and w.checkpoint_dir:
            path = os.path.join(w.checkpoint_dir, "step-%d.ckpt" % trainer.global_step)
            trainer.save_checkpoint(path)
            w.checkpoint(path, trainer.global_step)
        if action in ("prune", "pause"):
            trainer.should_stop = True


def _make_class(name, logic, modules, base_attr):
    base = None
    for module in modules:
        try:
            mod = __import__(module, fromlist=[base_attr])
            base = getattr(mod, base_attr)
            break
        except Exception:
            continue
    # The logic comes first: the framework base defines every hook as a no-op, which would otherwise win.
    bases = (logic, base) if base is not None else (logic,)
    cls = type(name, bases, {"__init__": logic.__init__, "__doc__": logic.__doc__})
    return cls


_lazy = {}


def __getattr__(name):
    """Builds the framework callbacks on first use (PEP 562), so importing this module imports no framework."""
    if name == "WinnowCallback":
        if name not in _lazy:
            _lazy[name] = _make_class(name, _HFCallbackLogic, ["transformers"], "TrainerCallback")
        return _lazy[name]
    if name == "WinnowLightningCallback":
        if name not in _lazy:
            _lazy[name] = _make_class(
                name, _LightningCallbackLogic, ["lightning.pytorch", "pytorch_lightning"], "Callback"
            )
        return _lazy[name]
    raise AttributeError("module %r has no attribute %r" % (__name__, name))
