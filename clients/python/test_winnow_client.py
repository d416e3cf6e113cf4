"""Tests of winnow_client.py without any ML framework: a fake Winnow endpoint and fake Trainer objects.

Run: /usr/bin/python3 -m unittest discover -s clients/python -p 'test_*.py'  (also run by winnow-client.test.ts)
"""

import contextlib
import io
import json
import os
import sys
import threading
import unittest
import urllib.request
from http.server import BaseHTTPRequestHandler, HTTPServer
from types import SimpleNamespace

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import winnow_client as winnow  # noqa: E402


class FakeWinnow:
    """Records messages; answers reports with the next queued decision."""

    def __init__(self):
        self.messages = []
        self.decisions = []
        self.token = "secret-token"
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("content-length", 0)))
                if self.headers.get("authorization") != "Bearer " + outer.token:
                    self.send_response(401)
                    self.end_headers()
                    return
                kind = self.path.rsplit("/", 1)[-1]
                outer.messages.append((kind, json.loads(body)))
                answer = {"ok": True}
                if kind == "report":
                    answer = {"decision": outer.decisions.pop(0) if outer.decisions else {"action": "continue"}}
                data = json.dumps(answer).encode()
                self.send_response(200)
                self.send_header("content-length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
        self.thread.start()
        self.url = "http://127.0.0.1:%d/v1/trials/7" % self.server.server_address[1]

    def env(self, **extra):
        env = {
            "WINNOW_TRIAL_ID": "7",
            "WINNOW_TRIAL_NUMBER": "3",
            "WINNOW_PARAMS": json.dumps({"lr": 0.001, "name": "$(touch pwned)"}),
            "WINNOW_REPORT_URL": self.url,
            "WINNOW_TOKEN": self.token,
            "WINNOW_CHECKPOINT_DIR": "/tmp/ckpt",
            "WINNOW_TARGET": "300",
        }
        env.update(extra)
        return env

    def close(self):
        self.server.shutdown()
        self.server.server_close()


class ClientTest(unittest.TestCase):
    def setUp(self):
        self.fake = FakeWinnow()

    def tearDown(self):
        self.fake.close()

    def test_params_and_properties(self):
        w = winnow.connect(self.fake.env(WINNOW_RESUME_FROM="/tmp/ckpt/step-3"))
        self.assertEqual(w.params(), {"lr": 0.001, "name": "$(touch pwned)"})
        self.assertEqual(w.trial_number, 3)
        self.assertEqual(w.checkpoint_dir, "/tmp/ckpt")
        self.assertEqual(w.resume_from, "/tmp/ckpt/step-3")
        self.assertEqual(w.target, 300.0)

    def test_report_returns_decision_and_sends_payloads(self):
        w = winnow.connect(self.fake.env())
        self.assertEqual(w.report(1, {"eval_loss": 2.5})["action"], "continue")
        self.fake.decisions.append({"action": "prune", "reason": "below median"})
        d = w.report(2, {"eval_loss": float("nan"), "tokens": 512})
        self.assertEqual(d, {"action": "prune", "reason": "below median"})
        w.checkpoint("/tmp/ckpt/a", 2)
        w.complete({"eval_loss": 1.5})
        w.fail("boom")
        kinds = [k for k, _ in self.fake.messages]
        self.assertEqual(kinds, ["report", "report", "checkpoint", "complete", "fail"])
        self.assertEqual(self.fake.messages[1][1], {"step": 2, "metrics": {"eval_loss": "NaN", "tokens": 512}})
        self.assertEqual(self.fake.messages[2][1], {"path": "/tmp/ckpt/a", "step": 2})

    def test_reporting_mistakes_never_end_training(self):
        class Tensor:
            def __init__(self, *values):
                self.values = values

            def item(self):
                if len(self.values) != 1:
                    raise ValueError("only one element tensors can be converted to Python scalars")
                return self.values[0]

        w = winnow.connect(self.fake.env())
        err = io.StringIO()
        with contextlib.redirect_stderr(err):
            # A tensor step (PyTorch's optimizer step) is read as its number; a vector metric is left out.
            self.assertEqual(w.report(Tensor(5), {"eval_loss": Tensor(1.5), "grads": Tensor(1, 2)})["action"], "continue")
            # A negative or non-number step is skipped, not sent.
            self.assertEqual(w.report(-1, {"eval_loss": 1.0})["action"], "continue")
            self.assertEqual(w.report("ten", {"eval_loss": 1.0})["action"], "continue")
        self.assertEqual(self.fake.messages, [("report", {"step": 5, "metrics": {"eval_loss": 1.5}})])
        self.assertIn("'grads' is not a single number", err.getvalue())
        self.assertIn("report at step -1 skipped", err.getvalue())

    def test_wrong_token_raises(self):
        w = winnow.connect(self.fake.env(WINNOW_TOKEN="wrong"))
        with self.assertRaises(RuntimeError):
            w.report(1, {"eval_loss": 1.0})
        self.assertEqual(self.fake.messages, [])

    def test_outside_winnow_is_noop(self):
        w = winnow.connect({})
        self.assertFalse(w.active)
        self.assertEqual(w.report(1, {"eval_loss": 1.0}), {"action": "continue"})
        w.complete({"eval_loss": 1.0})
        self.assertEqual(self.fake.messages, [])

    def test_non_zero_rank_sends_nothing(self):
        self.fake.decisions.append({"action": "prune", "reason": "x"})
        w = winnow.connect(self.fake.env(RANK="1"))
        self.assertEqual(w.report(1, {"eval_loss": 1.0}), {"action": "continue"})
        self.assertEqual(self.fake.messages, [])

    def test_stdout_fallback_without_url(self):
        env = self.fake.env()
        del env["WINNOW_REPORT_URL"]
        w = winnow.connect(env)
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            self.assertEqual(w.report(4, {"eval_loss": 0.5})["action"], "continue")
        line = out.getvalue().strip()
        self.assertTrue(line.startswith("WINNOW "))
        self.assertEqual(json.loads(line[7:]), {"type": "report", "step": 4, "metrics": {"eval_loss": 0.5}})

    def test_unreachable_runner_means_pause(self):
        env = self.fake.env()
        self.fake.close()
        self.fake = FakeWinnow()  # a fresh server on another port; the old URL is dead
        err = io.StringIO()
        with contextlib.redirect_stderr(err):
            d = winnow.connect(env).report(1, {"eval_loss": 1.0})
        self.assertEqual(d["action"], "pause")
        self.assertIn("unreachable", d["reason"])
        self.assertIn("the report message was not delivered", err.getvalue())

    def test_proxy_settings_do_not_carry_reports_away(self):
        dead_proxy = "http://127.0.0.1:9"
        saved = {k: os.environ.get(k) for k in ("http_proxy", "HTTP_PROXY", "no_proxy", "NO_PROXY")}
        try:
            os.environ.update(http_proxy=dead_proxy, HTTP_PROXY=dead_proxy, no_proxy="", NO_PROXY="")
            urllib.request.install_opener(None)  # urllib's default opener reads the proxy settings again
            d = winnow.connect(self.fake.env()).report(1, {"eval_loss": 1.0})
        finally:
            urllib.request.install_opener(None)
            for k, v in saved.items():
                if v is None:
                    os.environ.pop(k, None)
                else:
                    os.environ[k] = v
        self.assertEqual(d["action"], "continue")


class CallbackTest(unittest.TestCase):
    def setUp(self):
        self.fake = FakeWinnow()
        self.w = winnow.connect(self.fake.env())

    def tearDown(self):
        self.fake.close()

    def hf(self):
        args = SimpleNamespace(output_dir="/tmp/out")
        state = SimpleNamespace(global_step=40, num_input_tokens_seen=20480, is_world_process_zero=True)
        control = SimpleNamespace(should_training_stop=False, should_save=False)
        return args, state, control

    def test_module_imports_without_frameworks(self):
        self.assertNotIn("transformers", sys.modules)
        cb = winnow.WinnowCallback(winnow=self.w)
        self.assertTrue(hasattr(cb, "on_evaluate"))
        self.assertNotIn("torch", sys.modules)

    def test_hf_continue_reports_metric_and_tokens(self):
        cb = winnow.WinnowCallback(winnow=self.w)
        args, state, control = self.hf()
        cb.on_evaluate(args, state, control, metrics={"eval_loss": 1.25, "epoch": 1.0})
        self.assertFalse(control.should_training_stop)
        self.assertEqual(
            self.fake.messages, [("report", {"step": 40, "metrics": {"eval_loss": 1.25, "epoch": 1.0, "tokens": 20480}})]
        )

    def test_hf_extra_metrics_join_every_report(self):
        cb = winnow.WinnowCallback(winnow=self.w, extra_metrics=lambda: {"peak_mem_gb": 38.5})
        args, state, control = self.hf()
        cb.on_evaluate(args, state, control, metrics={"eval_loss": 1.25})
        self.assertEqual(self.fake.messages[0][1]["metrics"]["peak_mem_gb"], 38.5)
        self.assertEqual(self.fake.messages[0][1]["metrics"]["eval_loss"], 1.25)

    def test_hf_prune_stops_without_saving(self):
        self.fake.decisions.append({"action": "prune", "reason": "worse than median"})
        cb = winnow.WinnowCallback(winnow=self.w)
        args, state, control = self.hf()
        cb.on_evaluate(args, state, control, metrics={"eval_loss": 3.0})
        self.assertTrue(control.should_training_stop)
        self.assertFalse(control.should_save)

    def test_hf_pause_saves_then_stops_and_reports_checkpoint(self):
        self.fake.decisions.append({"action": "pause", "rung": 0})
        cb = winnow.WinnowCallback(winnow=self.w)
        args, state, control = self.hf()
        cb.on_evaluate(args, state, control, metrics={"eval_loss": 1.0})
        self.assertTrue(control.should_save)
        self.assertTrue(control.should_training_stop)
        cb.on_save(args, state, control)
        self.assertEqual(self.fake.messages[-1], ("checkpoint", {"path": "/tmp/out/checkpoint-40", "step": 40}))

    def test_lightning_prune_and_pause(self):
        class Scalar:
            def __init__(self, v):
                self.v = v

            def item(self):
                return self.v

        saved = []
        trainer = SimpleNamespace(
            global_step=12,
            sanity_checking=False,
            should_stop=False,
            callback_metrics={"val_loss": Scalar(0.75)},
            save_checkpoint=lambda p: saved.append(p),
        )
        cb = winnow.WinnowLightningCallback(winnow=self.w)
        cb.on_validation_end(trainer, None)
        self.assertFalse(trainer.should_stop)
        self.assertEqual(self.fake.messages[0], ("report", {"step": 12, "metrics": {"val_loss": 0.75}}))
        self.fake.decisions.append({"action": "pause", "rung": 1})
        cb.on_validation_end(trainer, None)
        self.assertTrue(trainer.should_stop)
        self.assertEqual(saved, ["/tmp/ckpt/step-12.ckpt"])
        self.assertEqual(self.fake.messages[-1], ("checkpoint", {"path": "/tmp/ckpt/step-12.ckpt", "step": 12}))
        trainer.should_stop = False
        self.fake.decisions.append({"action": "prune", "reason": "x"})
        cb.on_validation_end(trainer, None)
        self.assertTrue(trainer.should_stop)
        self.assertEqual(len(saved), 1)


if __name__ == "__main__":
    unittest.main()
