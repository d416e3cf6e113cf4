"""Direct Preference Optimization (Rafailov et al. 2023) with TRL's DPOTrainer, tuned by Winnow.

Written by `winnow init`. Winnow passes the trial's hyperparameters in WINNOW_PARAMS (read with the client) and
puts winnow_client on PYTHONPATH; the scheduler stops (or pauses) a trial at a rung through the callback, so every
trial runs the same --max_steps learning-rate schedule. Outside Winnow the script runs the baseline values below. Needs: torch, transformers, datasets, trl, peft
(full-parameter DPO keeps a frozen reference copy of the model).
"""

import argparse
import os
import socket
import sys

import winnow_client as winnow

# Baseline values; Winnow's parameters override them (see study.yaml for ranges and README for sources).
DEFAULTS = {
    "learning_rate": 1e-6,
    "beta": 0.1,  # not in the study's space: eval_loss depends on beta itself (see src/recipes/README.md)
    "per_device_train_batch_size": 1,
    "gradient_accumulation_steps": 16,
    "warmup_ratio": 0.1,
    "lr_scheduler_type": "linear",
}


def model_error(name):
    """None when the model can be loaded: a local folder, in the Hugging Face cache, or downloadable."""
    if os.path.isdir(os.path.expanduser(name)):
        return None
    try:
        from huggingface_hub import try_to_load_from_cache

        if isinstance(try_to_load_from_cache(name, "config.json"), str):
            return None
    except Exception:  # huggingface_hub missing or an unusual cache: fall through to the network check
        pass
    offline = os.environ.get("HF_HUB_OFFLINE", "") not in ("", "0")
    if not offline:
        try:
            socket.create_connection(("huggingface.co", 443), timeout=3).close()
            return None
        except OSError:
            pass
    return (
        "Model '%s' not found locally and no network access: download it first "
        "(huggingface-cli download %s) or set model_name_or_path" % (name, name)
    )


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--model_name_or_path", required=True)
    ap.add_argument("--method", choices=["full"], default="full")
    ap.add_argument("--dataset", default="trl-lib/ultrafeedback_binarized")
    ap.add_argument("--max_seq_length", type=int, default=1024)
    ap.add_argument("--max_steps", type=int, default=900)
    ap.add_argument("--eval_steps", type=int, default=50)
    ap.add_argument("--save_steps", type=int, default=100)
    # Each evaluation runs the policy and the reference model on every pair: a fixed sample keeps it cheap.
    ap.add_argument("--eval_pairs", type=int, default=512)
    args = ap.parse_args()

    # Fail in a second, with one clear line, rather than after importing torch and timing out on a download.
    err = model_error(args.model_name_or_path)
    if err is not None:
        print(err, file=sys.stderr)
        sys.exit(2)
    try:
        import torch
        from datasets import load_dataset
        from transformers import AutoModelForCausalLM, AutoTokenizer
        from trl import DPOConfig, DPOTrainer
    except ImportError as e:
        print("Missing package %s: pip install torch transformers datasets trl" % e.name, file=sys.stderr)
        sys.exit(2)

    w = winnow.connect()
    p = dict(DEFAULTS, **w.params())
    # fp32 master weights under bf16 autocast (the memory model's "mixed"); newer transformers would load bf16.
    model = AutoModelForCausalLM.from_pretrained(args.model_name_or_path, torch_dtype=torch.float32)
    # The frozen reference only runs forward passes: a 16-bit copy (as the memory model counts it), not fp32.
    ref_model = AutoModelForCausalLM.from_pretrained(args.model_name_or_path, torch_dtype=torch.bfloat16)
    tokenizer = AutoTokenizer.from_pretrained(args.model_name_or_path)
    data = load_dataset(args.dataset)
    eval_split = "test" if "test" in data else None
    if eval_split is None:
        data = data["train"].train_test_split(test_size=0.05, seed=0)
        eval_split = "test"
    eval_data = data[eval_split]
    eval_data = eval_data.shuffle(seed=0).select(range(min(args.eval_pairs, len(eval_data))))
    config = DPOConfig(
        output_dir=w.checkpoint_dir or "outputs",
        # The full schedule even when the scheduler stops the trial at a rung (see the module docstring).
        max_steps=args.max_steps,
        learning_rate=float(p["learning_rate"]),
        beta=float(p["beta"]),
        per_device_train_batch_size=int(p["per_device_train_batch_size"]),
        per_device_eval_batch_size=int(p["per_device_train_batch_size"]),
        gradient_accumulation_steps=int(p["gradient_accumulation_steps"]),
        warmup_ratio=float(p["warmup_ratio"]),
        lr_scheduler_type=str(p["lr_scheduler_type"]),
        bf16=True,
        gradient_checkpointing=True,
        max_length=args.max_seq_length,
        eval_strategy="steps",
        eval_steps=args.eval_steps,
        save_strategy="steps",  # at the rung steps: a trial re-queued after a crash resumes from the last one
        save_steps=args.save_steps,
        logging_steps=10,
        report_to="none",
        seed=w.trial_number or 0,
        data_seed=0,  # the same data order in every trial, so rung comparisons see the parameters, not the order
    )
    trainer = DPOTrainer(
        model=model,
        ref_model=ref_model,
        args=config,
        train_dataset=data["train"],
        eval_dataset=eval_data,
        processing_class=tokenizer,
    )
    callback = winnow.WinnowCallback(metric="eval_loss")
    trainer.add_callback(callback)
    trainer.train(resume_from_checkpoint=w.resume_from)
    if callback.last_decision.get("action") in ("prune", "pause"):
        return  # stopped at a rung: Winnow has the reports; a final evaluation would only spend the grace period
    w.complete(trainer.evaluate())


if __name__ == "__main__":
    main()
