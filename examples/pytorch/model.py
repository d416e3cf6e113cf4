"""A small GPT (decoder-only transformer) for characters, with hand-written LoRA adapters.

Pre-norm blocks (LayerNorm -> causal self-attention -> LayerNorm -> GELU MLP), learned positions, tied input and
output embeddings. ``add_lora(model, r, alpha, dropout)`` wraps the attention and MLP projections with low-rank
adapters (Hu et al. 2021: ``W x + (alpha / r) * B A x``, B starts at zero so the adapted model starts equal to
the base) and freezes everything else.
"""

import math

import torch
import torch.nn as nn
import torch.nn.functional as F


class Config:
    """Model shape; stored with the base weights so ``train.py`` rebuilds the same model."""

    def __init__(self, vocab=64, block=24, d_model=48, n_layer=2, n_head=4, dropout=0.0):
        self.vocab = vocab
        self.block = block
        self.d_model = d_model
        self.n_layer = n_layer
        self.n_head = n_head
        self.dropout = dropout

    def to_dict(self):
        return dict(self.__dict__)


class SelfAttention(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.n_head = c.n_head
        self.qkv = nn.Linear(c.d_model, 3 * c.d_model)
        self.proj = nn.Linear(c.d_model, c.d_model)
        self.drop = nn.Dropout(c.dropout)
        mask = torch.tril(torch.ones(c.block, c.block, dtype=torch.bool))
        self.register_buffer("mask", mask.view(1, 1, c.block, c.block), persistent=False)

    def forward(self, x):
        b, t, d = x.shape
        q, k, v = self.qkv(x).split(d, dim=2)
        q, k, v = (z.view(b, t, self.n_head, d // self.n_head).transpose(1, 2) for z in (q, k, v))
        att = (q @ k.transpose(-2, -1)) / math.sqrt(d // self.n_head)
        att = att.masked_fill(~self.mask[:, :, :t, :t], float("-inf")).softmax(dim=-1)
        y = (self.drop(att) @ v).transpose(1, 2).reshape(b, t, d)
        return self.drop(self.proj(y))


class Block(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.ln1 = nn.LayerNorm(c.d_model)
        self.attn = SelfAttention(c)
        self.ln2 = nn.LayerNorm(c.d_model)
        self.fc = nn.Linear(c.d_model, 4 * c.d_model)
        self.out = nn.Linear(4 * c.d_model, c.d_model)
        self.drop = nn.Dropout(c.dropout)

    def forward(self, x):
        x = x + self.attn(self.ln1(x))
        return x + self.drop(self.out(F.gelu(self.fc(self.ln2(x)))))


class GPT(nn.Module):
    """Character-level GPT; ``forward(tokens, targets)`` returns (logits, mean loss over targets != -1)."""

    def __init__(self, c):
        super().__init__()
        self.config = c
        self.tok = nn.Embedding(c.vocab, c.d_model)
        self.pos = nn.Embedding(c.block, c.d_model)
        self.drop = nn.Dropout(c.dropout)
        self.blocks = nn.ModuleList(Block(c) for _ in range(c.n_layer))
        self.ln_f = nn.LayerNorm(c.d_model)
        self.apply(self._init)

    @staticmethod
    def _init(m):
        if isinstance(m, (nn.Linear, nn.Embedding)):
            nn.init.normal_(m.weight, std=0.02)
        if isinstance(m, nn.Linear) and m.bias is not None:
            nn.init.zeros_(m.bias)

    def forward(self, tokens, targets=None):
        t = tokens.shape[1]
        x = self.drop(self.tok(tokens) + self.pos(torch.arange(t, device=tokens.device)))
        for block in self.blocks:
            x = block(x)
        logits = self.ln_f(x) @ self.tok.weight.t()  # tied output embedding
        if targets is None:
            return logits, None
        loss = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), targets.reshape(-1), ignore_index=-1)
        return logits, loss

    def set_dropout(self, p):
        """Sets the dropout probability of every dropout layer (the base is pretrained without dropout)."""
        for m in self.modules():
            if isinstance(m, nn.Dropout):
                m.p = p


class LoRALinear(nn.Module):
    """``base(x) + (alpha / r) * B(A(dropout(x)))`` with ``base`` frozen; A ~ Kaiming uniform, B = 0."""

    def __init__(self, base, r, alpha, dropout):
        super().__init__()
        self.base = base
        self.scale = alpha / r
        self.a = nn.Parameter(torch.empty(r, base.in_features))
        self.b = nn.Parameter(torch.zeros(base.out_features, r))
        nn.init.kaiming_uniform_(self.a, a=math.sqrt(5))
        self.drop = nn.Dropout(dropout)
        for p in base.parameters():
            p.requires_grad_(False)

    def forward(self, x):
        return self.base(x) + (self.drop(x) @ self.a.t() @ self.b.t()) * self.scale


def add_lora(model, r, alpha, dropout):
    """Freezes the model and wraps every attention / MLP projection in a LoRA adapter; returns the model."""
    for p in model.parameters():
        p.requires_grad_(False)
    for block in model.blocks:
        block.attn.qkv = LoRALinear(block.attn.qkv, r, alpha, dropout)
        block.attn.proj = LoRALinear(block.attn.proj, r, alpha, dropout)
        block.fc = LoRALinear(block.fc, r, alpha, dropout)
        block.out = LoRALinear(block.out, r, alpha, dropout)
    return model


def count_params(model, trainable_only=False):
    """Number of parameters (only those with requires_grad when ``trainable_only``)."""
    return sum(p.numel() for p in model.parameters() if p.requires_grad or not trainable_only)
