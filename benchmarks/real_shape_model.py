"""An Argos package with the REAL Argos shape and generated weights, for benchmarks.

Argos Translate's en→zt / en→ja packages are OpenNMT-py "Transformer base" models converted to
CTranslate2: 6 encoder + 6 decoder layers, d_model 512, 8 heads, FFN 2048, a ~32k shared
SentencePiece vocabulary, pre-norm, sinusoidal positions, biases everywhere; run int8 on CPU.
This module builds a model with exactly that shape (so every matrix multiply, the 32k output
projection and the beam search cost what they cost with a real package) from seeded random
weights, wraps it in a genuine ``.argosmodel`` zip and installs it with the project's own
``install_package_file``.  Its output is gibberish: benchmarks fix the decoding length
(``min_decoding_length == max_decoding_length``) so every run does the same work.

The SentencePiece model is trained (byte fallback) on the sample release plus synthetic words;
the CTranslate2 vocabulary is the SentencePiece pieces padded with filler tokens to 32,000.

Built packages are cached in ``benchmarks/.cache/`` (git-ignored), keyed by the build parameters.

    python -m benchmarks.real_shape_model            # build (or reuse) and print where it is
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import random
import shutil
import sys
import tempfile
import zipfile
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
CACHE = Path(__file__).resolve().parent / ".cache"
SAMPLE = ROOT / "samples" / "kmu-kumamoto-mou-2025.txt"
BUILD_VERSION = 2  # bump when the build recipe changes


@dataclass(frozen=True)
class Shape:
    layers: int = 6
    d_model: int = 512
    heads: int = 8
    ffn: int = 2048
    vocab: int = 32000
    sp_vocab: int = 8000  # SentencePiece pieces actually trained; the rest of `vocab` is filler
    quantization: str = "int8"
    std: float = 0.02
    seed: int = 1234

    def key(self) -> str:
        raw = json.dumps({**asdict(self), "v": BUILD_VERSION}, sort_keys=True)
        return hashlib.sha256(raw.encode()).hexdigest()[:12]


# --------------------------------------------------------------------------------------------
# SentencePiece
# --------------------------------------------------------------------------------------------

_SYLLABLES = [
    c + v + e
    for c in ["", "b", "c", "d", "f", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "w", "st", "tr", "ch", "sh", "th"]
    for v in ["a", "e", "i", "o", "u", "ai", "ea", "ou", "io"]
    for e in ["", "n", "r", "s", "t", "l", "nd", "ng", "ck"]
]


def training_text(seed: int, sentences: int = 60000) -> list[str]:
    """The sample release plus synthetic English-like sentences (enough material for ~8k pieces)."""
    rng = random.Random(seed)
    sample = SAMPLE.read_text(encoding="utf-8") if SAMPLE.is_file() else ""
    sample_words = sample.split() or ["the"]
    # A Zipf-ish lexicon of pseudo-words, so frequent "words" become whole pieces as in real models.
    lexicon = ["".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(1, 4))) for _ in range(30000)]
    weights = [1.0 / (rank + 1) ** 0.9 for rank in range(len(lexicon))]
    lines = [line for line in sample.splitlines() if line.strip()] * 20
    for _ in range(sentences):
        words = rng.choices(lexicon, weights, k=rng.randint(6, 30))
        words += rng.sample(sample_words, k=min(4, len(sample_words)))
        rng.shuffle(words)
        words[0] = words[0].capitalize()
        if rng.random() < 0.2:
            words.insert(rng.randrange(len(words)), str(rng.randint(1, 3000)))
        lines.append(" ".join(words) + rng.choice([".", ".", ".", ",", ";", "?"]))
    return lines


def train_sentencepiece(shape: Shape) -> bytes:
    import sentencepiece as spm

    writer = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(training_text(shape.seed)),
        model_writer=writer,
        vocab_size=shape.sp_vocab,
        model_type="unigram",
        byte_fallback=True,
        character_coverage=1.0,
        hard_vocab_limit=False,
        split_digits=True,
        num_threads=os.cpu_count() or 1,
        minloglevel=2,
        unk_id=0,
        bos_id=1,
        eos_id=2,
        pad_id=-1,
        input_sentence_size=0,
    )
    return writer.getvalue()


# --------------------------------------------------------------------------------------------
# CTranslate2 Transformer base with random weights
# --------------------------------------------------------------------------------------------


def build_spec(vocab: list[str], shape: Shape):
    from ctranslate2.specs import transformer_spec

    rng = np.random.default_rng(shape.seed)
    d, f, V = shape.d_model, shape.ffn, len(vocab)

    def w(*dims):
        return (rng.standard_normal(dims, dtype=np.float32) * shape.std).astype(np.float32)

    def b(n):
        return (rng.standard_normal(n, dtype=np.float32) * shape.std).astype(np.float32)

    def ln(spec):
        spec.gamma = np.ones(d, np.float32)
        spec.beta = np.zeros(d, np.float32)

    def linear(spec, out_dim, in_dim):
        spec.weight = w(out_dim, in_dim)
        spec.bias = b(out_dim)

    def ffn(spec):
        ln(spec.layer_norm)
        linear(spec.linear_0, f, d)
        linear(spec.linear_1, d, f)

    spec = transformer_spec.TransformerSpec.from_config(
        num_layers=(shape.layers, shape.layers), num_heads=shape.heads, with_relative_position=False, pre_norm=True
    )
    enc, dec = spec.encoder, spec.decoder
    # Sinusoidal positions (OpenNMT-py default): leave position_encodings.encodings OPTIONAL and
    # CTranslate2 generates them; embeddings are scaled by sqrt(d_model) as in OpenNMT-py.
    enc.embeddings[0].weight = w(V, d)
    dec.embeddings.weight = w(V, d)
    for layer in enc.layer:
        ln(layer.self_attention.layer_norm)
        linear(layer.self_attention.linear[0], 3 * d, d)
        linear(layer.self_attention.linear[1], d, d)
        ffn(layer.ffn)
    ln(enc.layer_norm)
    for layer in dec.layer:
        ln(layer.self_attention.layer_norm)
        linear(layer.self_attention.linear[0], 3 * d, d)
        linear(layer.self_attention.linear[1], d, d)
        ln(layer.attention.layer_norm)
        linear(layer.attention.linear[0], d, d)
        linear(layer.attention.linear[1], 2 * d, d)
        linear(layer.attention.linear[2], d, d)
        ffn(layer.ffn)
    ln(dec.layer_norm)
    linear(dec.projection, V, d)

    from pipeline.translation.engine.demo_model import register_vocabulary

    register_vocabulary(spec, vocab)
    return spec


def write_ct2_model(vocab: list[str], shape: Shape, out_dir: Path) -> None:
    from ctranslate2.converters import Converter

    class _RandomTransformerConverter(Converter):
        def _load(self):
            return build_spec(vocab, shape)

    _RandomTransformerConverter().convert(str(out_dir), quantization=shape.quantization, force=True)


# --------------------------------------------------------------------------------------------
# Packaging, caching, installing
# --------------------------------------------------------------------------------------------


def _zip_dir(src_dir: Path, out_file: Path) -> None:
    # Argos packages are plain zips of one folder; model.bin is stored (it barely compresses).
    with zipfile.ZipFile(out_file, "w") as zf:
        for path in [src_dir, *sorted(src_dir.rglob("*"))]:
            arc = path.relative_to(src_dir.parent).as_posix()
            if path.is_dir():
                zf.writestr(arc + "/", b"")
            else:
                compress = zipfile.ZIP_STORED if path.suffix == ".bin" else zipfile.ZIP_DEFLATED
                zf.write(path, arc, compress_type=compress)


def filler_pieces(taken: set[str], count: int) -> list[str]:
    """Target-side pieces that pad the vocabulary: CJK ideographs, like most of a real zh/ja vocabulary."""
    ranges = [(0x4E00, 0xA000), (0x3400, 0x4DC0), (0x3040, 0x3100), (0x20000, 0x2A6E0)]
    fillers = []
    for start, end in ranges:
        for code in range(start, end):
            if len(fillers) == count:
                return fillers
            if chr(code) not in taken:
                fillers.append(chr(code))
    if len(fillers) < count:
        raise RuntimeError("not enough filler pieces")
    return fillers


def _build_model_dir(shape: Shape, target: Path) -> None:
    """CTranslate2 model + sentencepiece.model, shared by the zt and ja packages."""
    import sentencepiece as spm

    sp_bytes = train_sentencepiece(shape)
    sp = spm.SentencePieceProcessor(model_proto=sp_bytes)
    pieces = [sp.id_to_piece(i) for i in range(sp.get_piece_size())]
    if pieces[:3] != ["<unk>", "<s>", "</s>"]:
        raise RuntimeError(f"unexpected SentencePiece special pieces: {pieces[:3]}")
    if len(pieces) > shape.vocab:
        raise RuntimeError(f"{len(pieces)} SentencePiece pieces exceed the {shape.vocab}-token vocabulary")
    vocab = pieces + filler_pieces(set(pieces), shape.vocab - len(pieces))
    target.mkdir(parents=True, exist_ok=True)
    write_ct2_model(vocab, shape, target / "model")
    (target / "sentencepiece.model").write_bytes(sp_bytes)
    (target / "build.json").write_text(
        json.dumps({**asdict(shape), "sp_pieces": len(pieces), "build_version": BUILD_VERSION}, indent=2) + "\n"
    )


def build_package(to_code: str, shape: Shape = Shape(), cache: Path = CACHE) -> Path:
    """Return the path of a cached ``translate-en_<to_code>-bench.argosmodel``, building it if needed."""
    folder = cache / f"real-shape-{shape.key()}"
    archive = folder / f"translate-en_{to_code}-bench.argosmodel"
    if archive.is_file():
        return archive
    common = folder / "common"
    if not (common / "model" / "model.bin").is_file():
        print(f"building real-shape model (Transformer base, {shape.vocab} vocab, {shape.quantization}) in {folder} …", file=sys.stderr)
        folder.mkdir(parents=True, exist_ok=True)
        scratch = Path(tempfile.mkdtemp(prefix="common-", dir=folder))
        try:
            _build_model_dir(shape, scratch)
            shutil.rmtree(common, ignore_errors=True)
            os.replace(scratch, common)
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
    names = {"zt": "Chinese (traditional)", "ja": "Japanese", "zh": "Chinese"}
    with tempfile.TemporaryDirectory(prefix="pkg-", dir=folder) as tmp:
        pkg = Path(tmp) / f"translate-en_{to_code}-bench"
        pkg.mkdir()
        shutil.copytree(common / "model", pkg / "model")
        shutil.copy2(common / "sentencepiece.model", pkg / "sentencepiece.model")
        metadata = {
            "package_version": "0.0-bench",
            "argos_version": "1.9",
            "from_code": "en",
            "from_name": "English",
            "to_code": to_code,
            "to_name": names.get(to_code, to_code),
            "type": "translate",
            "benchmark_random_weights": True,
        }
        (pkg / "metadata.json").write_text(json.dumps(metadata, indent=2) + "\n", encoding="utf-8")
        (pkg / "README.md").write_text(
            "Benchmark model: real Argos shape, RANDOM weights; its output is not a translation.\n", encoding="utf-8"
        )
        partial = Path(tmp) / "package.zip"
        _zip_dir(pkg, partial)
        os.replace(partial, archive)
    return archive


def install_bench_packages(packages_dir: Path, targets=("zt", "ja"), shape: Shape = Shape()) -> dict[str, object]:
    """Install the benchmark packages into `packages_dir` (sets ARGOS_PACKAGES_DIR for this process)."""
    from pipeline.translation.engine.install import install_package_file

    os.environ["ARGOS_PACKAGES_DIR"] = str(packages_dir)
    return {code: install_package_file(build_package(code, shape)) for code in targets}


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    for code in ("zt", "ja"):
        path = build_package(code)
        print(f"{code}: {path} ({path.stat().st_size / 1e6:.1f} MB)")
