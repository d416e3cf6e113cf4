"""Contract tests of WinnowCallback against a fake Hugging Face Trainer (no transformers, no torch needed).

The fakes keep HF's names and call order (transformers 4.4x ``Trainer._inner_training_loop`` and
``_maybe_log_save_evaluate``, ``DefaultFlowCallback``, ``CallbackHandler``): ``on_train_begin``; per optimizer
step ``global_step += 1`` then ``on_step_end`` (which sets ``should_evaluate`` / ``should_save`` /
``should_training_stop``), then evaluate -> ``on_evaluate(metrics=...)``, then, if ``should_save``, write
``output_dir/checkpoint-<step>/trainer_state.json`` -> ``on_save``; stop when ``should_training_stop``.
``train(resume_from_checkpoint=dir)`` restores ``global_step`` from the checkpoint's ``trainer_state.json``.

Run: /usr/bin/python3 -m unittest discover -s clients/python -p 'test_*.py'
"""

import contextlib
import io
import json
import os
import sys
import tempfile
import types
import unittest
from dataclasses import dataclass, field

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import winnow_client as winnow  # noqa: E402
from test_winnow_client import FakeWinnow  # noqa: E402


@dataclass
class TrainingArguments:
    output_dir: str
    max_steps: int = 50
    eval_steps: int = 10
    save_steps: int = 1000
    per_device_train_batch_size: int = 4


@dataclass
class TrainerState:
    global_step: int = 0
    max_steps: int = 0
    num_input_tokens_seen: int = 0
    is_world_process_zero: bool = True
    log_history: list = field(default_factory=list)


@dataclass
class TrainerControl:
    should_training_stop: bool = False
    should_epoch_stop: bool = False
    should_save: bool = False
    should_evaluate: bool = False
    should_log: bool = False


class FakeTrainer:
    """HF's training-loop skeleton; the 'model' is a loss curve, eval_loss = 3 / (1 + step / 10)."""

    def __init__(self, args, callbacks=(), rank=0):
        self.args = args
        self.callbacks = list(callbacks)
        self.state = TrainerState(is_world_process_zero=rank == 0)
        self.control = TrainerControl()
        self.saved = []
        self.evaluated = []

    def add_callback(self, cb):
        self.callbacks.append(cb)

    def _call(self, event, **kwargs):
        for cb in self.callbacks:  # a real TrainerCallback subclass has every hook; ours only the ones it needs
            hook = getattr(cb, event, None)
            result = hook(self.args, self.state, self.control, **kwargs) if hook is not None else None
            if result is not None:
                self.control = result
        return self.control

    def train(self, resume_from_checkpoint=None):
        self.state.max_steps = self.args.max_steps
        if resume_from_checkpoint is not None:
            with open(os.path.join(resume_from_checkpoint, "trainer_state.json")) as f:
                saved = json.load(f)
            self.state.global_step = saved["global_step"]
            self.state.num_input_tokens_seen = saved["num_input_tokens_seen"]
        self._call("on_train_begin")
        while self.state.global_step < self.args.max_steps:
            self.state.global_step += 1
            self.state.num_input_tokens_seen += 64 * self.args.per_device_train_batch_size
            # DefaultFlowCallback.on_step_end
            step = self.state.global_step
            self.control.should_evaluate = step % self.args.eval_steps == 0
            self.control.should_save = self.control.should_save or step % self.args.save_steps == 0
            self.control.should_training_stop = self.control.should_training_stop or step >= self.args.max_steps
            self._call("on_step_end")
            # Trainer._maybe_log_save_evaluate
            if self.control.should_evaluate:
                metrics = {"eval_loss": 3.0 / (1 + step / 10), "eval_runtime": 0.1, "epoch": step / 100}
                self.evaluated.append(step)
                self._call("on_evaluate", metrics=metrics)
                self.control.should_evaluate = False
            if self.control.should_save:
                path = os.path.join(self.args.output_dir, "checkpoint-%d" % step)
                os.makedirs(path, exist_ok=True)
                with open(os.path.join(path, "trainer_state.json"), "w") as f:
                    json.dump({"global_step": step, "num_input_tokens_seen": self.state.num_input_tokens_seen}, f)
                self.saved.append(step)
                self._call("on_save")
                self.control.should_save = False
            if self.control.should_training_stop:
                break
        self._call("on_train_end")


class FakeDist:
    """A stand-in for ``torch.distributed`` as one rank of a 2-process group sees it."""

    def __init__(self, rank, from_rank0=None):
        self.rank = rank
        self.from_rank0 = from_rank0  # what rank 0 broadcasts, as seen by the other ranks
        self.broadcasts = []

    def is_available(self):
        return True

    def is_initialized(self):
        return True

    def get_world_size(self):
        return 2

    def broadcast_object_list(self, box, src=0):
        assert src == 0
        if self.rank != 0:
            box[0] = self.from_rank0
        self.broadcasts.append(box[0])


class HFCallbackContractTest(unittest.TestCase):
    def setUp(self):
        self.fake = FakeWinnow()
        self.tmp = tempfile.TemporaryDirectory()
        self.out = self.tmp.name

    def tearDown(self):
        self.fake.close()
        self.tmp.cleanup()
        sys.modules.pop("torch.distributed", None)

    def trainer(self, env, rank=0, **kw):
        w = winnow.connect(env)
        t = FakeTrainer(TrainingArguments(output_dir=self.out, **kw), rank=rank)
        t.add_callback(winnow.WinnowCallback(winnow=w))
        return t, w

    def reports(self):
        return [(body["step"], body["metrics"]) for kind, body in self.fake.messages if kind == "report"]

    def test_pause_saves_then_stops_and_resume_continues_the_step_counter(self):
        self.fake.decisions += [{"action": "continue"}, {"action": "pause", "rung": 0}]
        t, _ = self.trainer(self.fake.env())
        t.train()
        self.assertEqual(t.state.global_step, 20)  # stopped at the pause, not at max_steps=50
        self.assertEqual(t.saved, [20])
        self.assertEqual([s for s, _ in self.reports()], [10, 20])
        ckpt = os.path.join(self.out, "checkpoint-20")
        self.assertEqual(self.fake.messages[-1], ("checkpoint", {"path": ckpt, "step": 20}))
        self.assertEqual(self.reports()[0][1]["tokens"], 10 * 64 * 4)

        # Promoted: a new process with WINNOW_RESUME_FROM; the documented call resumes at step 21.
        self.fake.messages.clear()
        self.fake.decisions += [{"action": "continue"}, {"action": "prune", "reason": "rung 1"}]
        t2, w2 = self.trainer(self.fake.env(WINNOW_RESUME_FROM=ckpt))
        err = io.StringIO()
        with contextlib.redirect_stderr(err):
            t2.train(resume_from_checkpoint=w2.resume_from)
        self.assertEqual(err.getvalue(), "")
        self.assertEqual([s for s, _ in self.reports()], [30, 40])
        self.assertEqual(t2.state.global_step, 40)  # pruned: stops at once ...
        self.assertEqual(t2.saved, [])  # ... without saving
        self.assertEqual(self.reports()[0][1]["tokens"], 30 * 64 * 4)

    def test_runs_to_the_end_when_always_continued(self):
        t, _ = self.trainer(self.fake.env(), save_steps=25)
        t.train()
        self.assertEqual([s for s, _ in self.reports()], [10, 20, 30, 40, 50])
        self.assertEqual(t.saved, [25, 50])
        paths = [body["path"] for kind, body in self.fake.messages if kind == "checkpoint"]
        self.assertEqual(paths, [os.path.join(self.out, "checkpoint-25"), os.path.join(self.out, "checkpoint-50")])
        self.assertAlmostEqual(self.reports()[-1][1]["eval_loss"], 0.5)

    def test_warns_when_a_resume_checkpoint_is_ignored(self):
        t, _ = self.trainer(self.fake.env(WINNOW_RESUME_FROM="/tmp/ckpt/checkpoint-20"), max_steps=10)
        err = io.StringIO()
        with contextlib.redirect_stderr(err):
            t.train()  # forgot resume_from_checkpoint=w.resume_from
        self.assertIn("resume_from_checkpoint=w.resume_from", err.getvalue())

    def test_metric_name_is_configurable_and_missing_metric_is_not_reported(self):
        w = winnow.connect(self.fake.env())
        args, state, control = TrainingArguments(self.out), TrainerState(global_step=5), TrainerControl()
        cb = winnow.WinnowCallback(metric="loss", winnow=w)
        cb.on_evaluate(args, state, control, metrics={"eval_loss": 1.5})
        self.assertEqual(self.reports(), [(5, {"eval_loss": 1.5, "loss": 1.5})])
        err = io.StringIO()
        with contextlib.redirect_stderr(err):
            cb2 = winnow.WinnowCallback(metric="eval_accuracy", winnow=w)
            cb2.on_evaluate(args, state, control, metrics={"eval_other_loss": 1.0})
            cb2.on_evaluate(args, state, control, metrics={"eval_other_loss": 1.0})
        self.assertEqual(len(self.reports()), 1)
        self.assertEqual(err.getvalue().count("eval_accuracy"), 2)  # warned once (the name appears twice)

    def test_other_ranks_follow_rank_0s_decision_without_talking_to_winnow(self):
        dist = FakeDist(rank=1, from_rank0={"action": "pause", "rung": 0})
        sys.modules["torch.distributed"] = dist
        t, _ = self.trainer(self.fake.env(RANK="1"), rank=1)
        t.train()
        self.assertEqual(self.fake.messages, [])  # rank 1 never reports nor announces checkpoints
        self.assertEqual(t.state.global_step, 10)  # ... yet pauses with rank 0: saves, then stops
        self.assertEqual(t.saved, [10])
        self.assertEqual(dist.broadcasts, [{"action": "pause", "rung": 0}])

    def test_rank_0_broadcasts_its_decision(self):
        dist = FakeDist(rank=0)
        sys.modules["torch.distributed"] = dist
        self.fake.decisions.append({"action": "prune", "reason": "below median"})
        t, _ = self.trainer(self.fake.env(RANK="0"))
        t.train()
        self.assertEqual(dist.broadcasts, [{"action": "prune", "reason": "below median"}])
        self.assertEqual(t.state.global_step, 10)
        self.assertEqual([s for s, _ in self.reports()], [10])

    def test_framework_base_class_does_not_shadow_the_hooks(self):
        # transformers.TrainerCallback defines every hook as a no-op; the built class must still run ours.
        class TrainerCallback:
            def on_train_begin(self, args, state, control, **kwargs):
                pass

            def on_evaluate(self, args, state, control, **kwargs):
                pass

            def on_save(self, args, state, control, **kwargs):
                pass

        sys.modules["transformers"] = types.SimpleNamespace(TrainerCallback=TrainerCallback)
        try:
            cls = winnow._make_class("WinnowCallback", winnow._HFCallbackLogic, ["transformers"], "TrainerCallback")
        finally:
            del sys.modules["transformers"]
        self.assertTrue(issubclass(cls, TrainerCallback))
        self.fake.decisions.append({"action": "prune", "reason": "x"})
        cb = cls(winnow=winnow.connect(self.fake.env()))
        control = TrainerControl()
        cb.on_evaluate(TrainingArguments(self.out), TrainerState(global_step=3), control, metrics={"eval_loss": 2.0})
        self.assertTrue(control.should_training_stop)
        self.assertEqual(self.reports(), [(3, {"eval_loss": 2.0})])


if __name__ == "__main__":
    unittest.main()
