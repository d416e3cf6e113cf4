"""Supervised fine-tuning (full, LoRA or QLoRA) with TRL's SFTTrainer, tuned by Winnow.

Written by `winnow init`. Winnow passes the trial's hyperparameters in WINNOW_PARAMS (read with the client) and
puts winnow_client on PYTHONPATH; the scheduler stops (or pauses) a trial at a rung through the callback, so every
trial runs the same --max_steps learning-rate schedule. Outside Winnow the script runs the baseline values below. Needs: torch, transformers, datasets, trl, peft
(+ bitsandbytes for QLoRA).
"""

import argparse
import os
import socket
import sys

import winnow_client as winnow

# Baseline values; Winnow's parameters override them (see study.yaml for ranges and README for sources).
DEFAULTS = {
    "learning_rate": 2e-4,
    "per_device_train_batch_size": 1,
    "gradient_accumulation_steps": 16,
    "warmup_ratio": 0.03,
    "weight_decay": 0.0,
    "lr_scheduler_type": "cosine",
    "max_grad_norm": 1.0,
    "lora_r": 16,
    "lora_alpha": 16,
    "lora_dropout": 0.05,
    "lora_target_modules": "all-linear",
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
    ap.add_argument("--method", choices=["full", "lora", "qlora"], default="lora")
    ap.add_argument("--dataset", default="trl-lib/Capybara")
    ap.add_argument("--max_seq_length", type=int, default=2048)
    ap.add_argument("--max_steps", type=int, default=900)
    ap.add_argument("--eval_steps", type=int, default=50)
    ap.add_argument("--save_steps", type=int, default=100)
    args = ap.parse_args()

    # Fail in a second, with one clear line, rather than after importing torch and timing out on a download.
    err = model_error(args.model_name_or_path)
    if err is not None:
        print(err, file=sys.stderr)
        sys.exit(2)
    try:
        import torch
        from datasets import load_dataset
        from peft import LoraConfig
        from transformers import AutoModelForCausalLM, AutoTokenizer, BitsAndBytesConfig
        from trl import SFTConfig, SFTTrainer
    except ImportError as e:
        print("Missing package %s: pip install torch transformers datasets trl peft bitsandbytes" % e.name, file=sys.stderr)
        sys.exit(2)

    w = winnow.connect()
    p = dict(DEFAULTS, **w.params())
    out = w.checkpoint_dir or "outputs"

    quant = None
    if args.method == "qlora":  # NF4 + double quantisation + bf16 compute (Dettmers et al. 2023)
        quant = BitsAndBytesConfig(
            load_in_4bit=True,
            bnb_4bit_quant_type="nf4",
            bnb_4bit_use_double_quant=True,
            bnb_4bit_compute_dtype=torch.bfloat16,
        )
    model = AutoModelForCausalLM.from_pretrained(
        args.model_name_or_path,
        torch_dtype=torch.float32 if args.method == "full" else torch.bfloat16,
        quantization_config=quant,
    )
    tokenizer = AutoTokenizer.from_pretrained(args.model_name_or_path)
    peft_config = None
    if args.method != "full":
        targets = "all-linear" if p["lora_target_modules"] == "all-linear" else ["q_proj", "k_proj", "v_proj", "o_proj"]
        r = int(p["lora_r"])
        peft_config = LoraConfig(
            r=r,
            lora_alpha=float(p["lora_alpha"]),
            lora_dropout=float(p["lora_dropout"]),
            target_modules=targets,
            task_type="CAUSAL_LM",
        )
    data = load_dataset(args.dataset)
    eval_split = "test" if "test" in data else None
    if eval_split is None:
        data = data["train"].train_test_split(test_size=0.05, seed=0)
        eval_split = "test"

    config = SFTConfig(
        output_dir=out,
        # The full schedule even when the scheduler stops the trial at a rung: warmup and decay mean the same in
        # every trial, and a paused trial resumes on the schedule it left.
        max_steps=args.max_steps,
        learning_rate=float(p["learning_rate"]),
        per_device_train_batch_size=int(p["per_device_train_batch_size"]),
        per_device_eval_batch_size=int(p["per_device_train_batch_size"]),
        gradient_accumulation_steps=int(p["gradient_accumulation_steps"]),
        warmup_ratio=float(p["warmup_ratio"]),
        weight_decay=float(p["weight_decay"]),
        lr_scheduler_type=str(p["lr_scheduler_type"]),
        max_grad_norm=float(p["max_grad_norm"]),
        optim="paged_adamw_32bit" if args.method == "qlora" else "adamw_torch",
        bf16=True,
        gradient_checkpointing=True,
        max_length=args.max_seq_length,
        eval_strategy="steps",
        eval_steps=args.eval_steps,
        # Checkpoints at the rung steps (100, 300, 900): a trial re-queued after a crash resumes from the last one.
        save_strategy="steps",
        save_steps=args.save_steps,
        include_num_input_tokens_seen=True,  # the callback reports tokens, counted in winnow status
        logging_steps=10,
        report_to="none",
        seed=w.trial_number or 0,
        data_seed=0,  # the same data order in every trial, so rung comparisons see the parameters, not the order
    )
    trainer = SFTTrainer(
        model=model,
        args=config,
        train_dataset=data["train"],
        eval_dataset=data[eval_split],
        processing_class=tokenizer,
        peft_config=peft_config,
    )
    callback = winnow.WinnowCallback(metric="eval_loss")
    trainer.add_callback(callback)
    trainer.train(resume_from_checkpoint=w.resume_from)
    if callback.last_decision.get("action") in ("prune", "pause"):
        return  # stopped at a rung: Winnow has the reports; a final evaluation would only spend the grace period
    w.complete(trainer.evaluate())


if __name__ == "__main__":
    main()
