"""Build an identity ("copy") translation model as a real Argos package.

The package produced by :func:`build_identity_package` is a genuine
``.argosmodel`` zip: a SentencePiece model plus a CTranslate2 Transformer
whose weights are set by hand so that the "translation" of any input is the
input itself (exactly, with greedy and beam search).  It is used by the test
suite and as the product's demo path on machines without a real model;
``metadata.json`` carries ``"pipeline_demo": true`` so callers can label the
output as NOT a translation.

How the copy works (1 encoder + 1 decoder layer, 1 head, d_model ~ 150):

* Token id ``i`` is coded as two one-hot base-``b`` digits plus a
  [not-</s>, is-</s>] flag pair; position ``p`` as 4 one-hot digits of a
  Reed-Solomon-style code (distinct positions share at most one digit).  All
  codes have a constant sum and norm, so every layer norm subtracts the same
  mean and divides by the same std for every token/position: layer norms
  (gamma 1, beta 0) only rescale, never reorder scores.
* Encoder: embedding = token code + learned position code in separate
  subspaces (no sqrt(d) scaling); self-attention and FFN output weights are
  zero, so the residual stream carries the embedding to the final layer norm.
* Decoder: token embeddings are zero (the decoder input is ignored), so the
  state at step ``t`` is just position code ``t``.  Cross-attention queries and
  keys read the position subspace, scaled so step ``t`` attends source
  position ``t`` (step ``t`` has consumed ``<s>`` plus ``t`` tokens and must
  emit source token ``t``: same index, no shift).  Values/output copy the
  token subspace; the output projection is the token codes.
* ``add_source_eos=True`` makes CTranslate2 append ``</s>`` to the source, so
  the decoder copies it and stops.  A query-bias/key-flag term favours the
  source ``</s>`` by less than an exact position match, so decoder steps past
  the end of the source (beam-search runners-up) also emit ``</s>`` at once
  instead of running to ``max_decoding_length``.

Limit: the source may hold at most ``max_positions - 1`` SentencePiece tokens
(the appended ``</s>`` takes the last position; longer inputs make
CTranslate2 raise "No position encodings are defined for positions >= N").
Callers must also pass ``max_decoding_length >= len(tokens) + 1`` to
``translate_batch`` (CTranslate2 defaults to 256).
"""

from __future__ import annotations

import io
import json
import math
import shutil
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

__all__ = ["build_identity_package", "DEFAULT_TRAINING_TEXT"]

DEFAULT_TRAINING_TEXT = """\
Kaohsiung Medical University (KMU) signed a Memorandum of Understanding on Academic Collaboration with Kumamoto University in Japan.
The agreement will expand opportunities for students to participate in overseas clinical electives, research exchanges and joint training programs.
The president said the partnership marks a significant milestone in international cooperation in medical education, public health and translational research.
The university's hospital, founded in 1957, serves more than 1,000,000 patients every year; the new center opens on March 3, 2025.
"We are delighted to welcome our partners," said Prof. Lee, Dean of the College of Medicine — a leader in the field.
For more information, please contact the Office of International Affairs at +886-7-312-1101 or visit https://www.example.edu.tw/news.
中央社訊息服務 高雄醫學大學 熊本大學 日本 臺灣 醫學 合作 簽署 交流 學生 研究 臨床 教育 國際 校長 教授
日本の熊本大学と高雄医学大学が学術交流協定を締結しました。
"""

_SPECIAL_AND_BYTE_PIECES = 3 + 256  # <unk> <s> </s> + byte-fallback pieces
_README = """\
# Identity demo model ({from_code} -> {to_code})

This is NOT a translation model. It is an identity ("copy") model built by
`pipeline.translation.engine.demo_model.build_identity_package`: its output is exactly
its input. It exists so the pipeline can be exercised end to end (tests,
demos) on a machine without a real Argos Translate model.

* SentencePiece vocabulary: {vocab} pieces (byte fallback, so any Unicode
  text round-trips).
* CTranslate2 Transformer with hand-set weights, d_model={d_model}.
* Maximum input length: {max_tokens} SentencePiece tokens.

`metadata.json` has `"pipeline_demo": true`.
"""


# ---------------------------------------------------------------------------
# SentencePiece
# ---------------------------------------------------------------------------


def _train_sentencepiece(text: str, vocab_size: int) -> bytes:
    import sentencepiece as spm

    lines = [line for line in text.splitlines() if line.strip()] or ["a"]
    # Byte fallback + character_coverage=1.0 require room for every distinct
    # character, the 256 byte pieces and the 3 special pieces.
    required = _SPECIAL_AND_BYTE_PIECES + len(set("".join(lines))) + 2
    vocab_size = max(int(vocab_size), required)
    options = dict(
        model_type="unigram",
        byte_fallback=True,
        character_coverage=1.0,
        normalization_rule_name="identity",  # no NFKC: exact round trip
        remove_extra_whitespaces=False,
        hard_vocab_limit=False,  # vocab_size is an upper bound on small text
        split_digits=True,
        num_threads=1,  # deterministic
        minloglevel=2,  # quiet
        unk_id=0,
        bos_id=1,
        eos_id=2,
        pad_id=-1,
    )
    last_error: Exception | None = None
    while vocab_size >= required:
        writer = io.BytesIO()
        try:
            spm.SentencePieceTrainer.train(
                sentence_iterator=iter(lines),
                model_writer=writer,
                vocab_size=vocab_size,
                **options,
            )
            return writer.getvalue()
        except RuntimeError as exc:  # e.g. "Vocabulary size too high"
            last_error = exc
            if vocab_size <= required:
                break
            vocab_size = max(required, vocab_size * 3 // 4)
    raise RuntimeError(f"SentencePiece training failed: {last_error}")


# ---------------------------------------------------------------------------
# CTranslate2 model
# ---------------------------------------------------------------------------


def _is_prime(n: int) -> bool:
    return n >= 2 and all(n % k for k in range(2, int(math.isqrt(n)) + 1))


def _token_codes(n: int, eos_id: int) -> np.ndarray:
    """Token i -> one-hot(i // b) | one-hot(i % b) | [not eos, is eos].

    Every row has the same sum and norm (3); distinct rows share <= 2 ones.
    """
    base = math.ceil(math.sqrt(n))
    idx = np.arange(n)
    codes = np.zeros((n, 2 * base + 2), dtype=np.float32)
    codes[idx, idx // base] = 1.0
    codes[idx, base + idx % base] = 1.0
    codes[:, 2 * base] = 1.0
    codes[eos_id, 2 * base] = 0.0
    codes[eos_id, 2 * base + 1] = 1.0
    return codes


def _position_codes(n: int, digits: int = 4) -> np.ndarray:
    """Reed-Solomon style codes: p = a*q + b -> digits (a + b*j) mod q, j < digits.

    Every row has exactly ``digits`` ones; two distinct rows share at most one
    (a non-zero polynomial of degree <= 1 has at most one root mod a prime q).
    """
    q = max(math.ceil(math.sqrt(n)), digits)
    while not _is_prime(q):
        q += 1
    a, b = np.divmod(np.arange(n), q)
    codes = np.zeros((n, digits * q), dtype=np.float32)
    for j in range(digits):
        codes[np.arange(n), j * q + (a + b * j) % q] = 1.0
    return codes


def _layer_norm(x: np.ndarray, eps: float = 1e-5) -> np.ndarray:
    mean = x.mean(axis=-1, keepdims=True)
    var = x.var(axis=-1, keepdims=True)
    return (x - mean) / np.sqrt(var + eps)


# Logit margins (natural-log units) the hand-set weights are scaled to.
_ATTENTION_MARGIN = 40.0
_OUTPUT_MARGIN = 50.0


@dataclass
class _CopyWeights:
    """The hand-set embeddings and scales of the copy model (its layout in the module docstring)."""

    enc_emb: np.ndarray  # V x d: token codes in the token subspace
    dec_emb: np.ndarray  # V x d, zero: decoder input tokens are ignored
    pos_enc: np.ndarray  # P x d: position codes in the position subspace
    tok_codes: np.ndarray  # V x dt
    d: int  # model dimension
    dt: int  # token subspace width
    dp: int  # position subspace width
    eos_flag: int  # model dimension holding the "is </s>" flag
    q_scale: float  # cross-attention query scale
    q_bias: float  # cross-attention query bias on the </s> flag
    out_scale: float  # output projection scale

    @property
    def tok(self) -> slice:
        return slice(0, self.dt)

    @property
    def pos(self) -> slice:
        return slice(self.dt, self.d)


def _copy_weights(vocab: list[str], max_positions: int) -> _CopyWeights:
    V, P = len(vocab), int(max_positions)
    eos_id = vocab.index("</s>")
    f32 = np.float32
    tok_codes = _token_codes(V, eos_id)  # V x dt
    pos_codes = _position_codes(P)  # P x dp
    dt, dp = tok_codes.shape[1], pos_codes.shape[1]
    d = dt + dp
    tok, pos = slice(0, dt), slice(dt, d)
    eos_flag = dt - 1  # model dimension holding the "is </s>" flag
    other = (eos_id + 1) % V  # any non-</s> token

    enc_emb = np.zeros((V, d), f32)
    enc_emb[:, tok] = tok_codes
    dec_emb = np.zeros((V, d), f32)  # decoder input tokens are ignored
    pos_enc = np.zeros((P, d), f32)
    pos_enc[:, pos] = pos_codes

    # --- scales, from the exact layer-norm statistics ------------------------
    # Layer norms see vectors with identical mean/std for every token/position
    # (all codes have constant sum and norm), so they only rescale.
    # Cross-attention score(t, s) = q_scale * S[t, s] + bonus * [token_s == </s>].
    # S is 4 "digit units" on the diagonal and 0 or 1 unit elsewhere, so with a
    # bonus of 2 units: t <= n (source length) attends s == t; t > n attends
    # </s> (so hypotheses running past the source stop at once).
    sqrt_d = math.sqrt(d)
    enc_ln = _layer_norm(enc_emb[other] + pos_enc)  # P x d, any token
    dec_ln = _layer_norm(pos_enc)  # P x d (decoder state = position code)
    S = dec_ln[:, pos] @ enc_ln[:, pos].T / sqrt_d
    # One shared digit adds 1 / (std_enc * std_dec * sqrt(d)) to S.
    std = lambda x: math.sqrt(float(x.var()) + 1e-5)  # noqa: E731
    unit = 1.0 / (std(enc_emb[other] + pos_enc[0]) * std(pos_enc[0]) * sqrt_d)
    q_scale = _ATTENTION_MARGIN / unit
    flag_gap = (
        _layer_norm(enc_emb[eos_id] + pos_enc[0])[eos_flag]
        - _layer_norm(enc_emb[other] + pos_enc[0])[eos_flag]
    )
    bonus = 2.0 * _ATTENTION_MARGIN
    q_bias = bonus * sqrt_d / flag_gap
    if P > 1:
        off = q_scale * np.where(np.eye(P, dtype=bool), np.nan, S)
        diag = q_scale * np.diag(S)
        copy_margin = np.min(diag - np.nanmax(off, axis=1)) - bonus
        stop_margin = bonus + np.nanmin(off) - np.nanmax(off)
        assert min(copy_margin, stop_margin) > 0.5 * _ATTENTION_MARGIN, (copy_margin, stop_margin)

    # Decoder state after cross-attention: position code + copied token code.
    final = np.zeros((V, d), f32)
    final[:, pos] = pos_enc[0, pos]
    final[:, tok] = _layer_norm(enc_emb + pos_enc[0])[:, tok]
    logits = _layer_norm(final)[:, tok] @ tok_codes.T  # V x V
    ldiag = np.diag(logits)
    logit_gap = float(np.min(ldiag - np.where(np.eye(V, dtype=bool), -np.inf, logits).max(axis=1)))
    out_scale = _OUTPUT_MARGIN / logit_gap
    return _CopyWeights(enc_emb, dec_emb, pos_enc, tok_codes, d, dt, dp, eos_flag, q_scale, q_bias, out_scale)


_FFN_DIM = 8


def _zeros(*shape: int) -> np.ndarray:
    return np.zeros(shape, np.float32)


def _set_layer_norm(ln, d: int) -> None:
    ln.gamma = np.ones(d, np.float32)
    ln.beta = np.zeros(d, np.float32)


def _set_ffn(ffn, d: int) -> None:  # output weights zero: the residual carries the state
    _set_layer_norm(ffn.layer_norm, d)
    ffn.linear_0.weight = _zeros(_FFN_DIM, d)
    ffn.linear_1.weight = _zeros(d, _FFN_DIM)


def _set_self_attention(att, d: int) -> None:  # output zero
    _set_layer_norm(att.layer_norm, d)
    att.linear[0].weight = _zeros(3 * d, d)
    att.linear[1].weight = _zeros(d, d)


def _set_cross_attention(att, w: _CopyWeights) -> None:
    """Queries and keys read the position subspace (and the </s> flag); values and output copy the token one."""
    d, dt, dp, tok, pos = w.d, w.dt, w.dp, w.tok, w.pos
    f32 = np.float32
    _set_layer_norm(att.layer_norm, d)
    wq = _zeros(d, d)
    wq[pos, pos] = w.q_scale * np.eye(dp, dtype=f32)  # queries: position
    bq = _zeros(d)
    bq[w.eos_flag] = w.q_bias  # constant query slot ...
    wkv = _zeros(2 * d, d)
    wkv[pos, pos] = np.eye(dp, dtype=f32)  # keys: position
    wkv[w.eos_flag, w.eos_flag] = 1.0  # ... meets the key's "is </s>" flag
    wkv[d : d + dt, tok] = np.eye(dt, dtype=f32)  # values: token
    wo = _zeros(d, d)
    wo[tok, tok] = np.eye(dt, dtype=f32)
    att.linear[0].weight = wq
    att.linear[0].bias = bq
    att.linear[1].weight = wkv
    att.linear[1].bias = _zeros(2 * d)
    att.linear[2].weight = wo


def _build_spec(vocab: list[str], max_positions: int):
    from ctranslate2.specs import transformer_spec

    w = _copy_weights(vocab, max_positions)
    d = w.d
    spec = transformer_spec.TransformerSpec.from_config(
        num_layers=(1, 1), num_heads=1, with_relative_position=False, pre_norm=True
    )
    enc, dec = spec.encoder, spec.decoder
    enc.scale_embeddings = False
    dec.scale_embeddings = False
    enc.embeddings[0].weight = w.enc_emb
    enc.position_encodings.encodings = w.pos_enc
    dec.embeddings.weight = w.dec_emb
    dec.position_encodings.encodings = w.pos_enc.copy()

    for layer in enc.layer:
        _set_self_attention(layer.self_attention, d)
        _set_ffn(layer.ffn, d)
    _set_layer_norm(enc.layer_norm, d)

    for layer in dec.layer:
        _set_self_attention(layer.self_attention, d)
        _set_cross_attention(layer.attention, w)
        _set_ffn(layer.ffn, d)
    _set_layer_norm(dec.layer_norm, d)
    proj = _zeros(len(vocab), d)
    proj[:, w.tok] = w.out_scale * w.tok_codes
    dec.projection.weight = proj

    register_vocabulary(spec, vocab)
    return spec, d


def register_vocabulary(spec, vocab: list[str]) -> None:
    """Shared vocabulary with SentencePiece's <unk>, <s>, </s> at ids 0-2; sources end with </s> as Argos' do."""
    spec.register_source_vocabulary(list(vocab))
    spec.register_target_vocabulary(list(vocab))
    cfg = spec.config
    cfg.unk_token, cfg.bos_token, cfg.eos_token = vocab[0], vocab[1], vocab[2]
    cfg.decoder_start_token = vocab[1]
    cfg.add_source_bos = False
    cfg.add_source_eos = True


def _write_ct2_model(vocab: list[str], max_positions: int, out_dir: Path) -> int:
    from ctranslate2.converters import Converter

    holder: dict = {}

    class _IdentityConverter(Converter):
        def _load(self):
            spec, holder["d_model"] = _build_spec(vocab, max_positions)
            return spec

    _IdentityConverter().convert(str(out_dir), force=True)
    return holder["d_model"]


# ---------------------------------------------------------------------------
# Packaging
# ---------------------------------------------------------------------------


def _zip_dir(src_dir: Path, out_file: Path) -> None:
    """Deterministic zip of ``src_dir`` (its name becomes the top-level folder)."""
    date = (1980, 1, 1, 0, 0, 0)
    root = src_dir.parent
    entries = [src_dir] + sorted(src_dir.rglob("*"))
    with zipfile.ZipFile(out_file, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in entries:
            arc = path.relative_to(root).as_posix()
            if path.is_dir():
                info = zipfile.ZipInfo(arc + "/", date)
                info.external_attr = (0o40755 << 16) | 0x10
                zf.writestr(info, b"")
            else:
                info = zipfile.ZipInfo(arc, date)
                info.external_attr = 0o100644 << 16
                info.compress_type = zipfile.ZIP_DEFLATED
                zf.writestr(info, path.read_bytes())


def build_identity_package(
    out_file: Path,
    *,
    from_code: str = "en",
    to_code: str = "zt",
    to_name: str = "Chinese (traditional)",
    training_text: str | None = None,
    vocab_size: int = 800,
    max_positions: int = 512,
    package_version: str = "0.0-demo",
) -> Path:
    """Write an identity-model ``.argosmodel`` package to ``out_file``.

    The zip holds one folder ``translate-<from>_<to>-<version>/`` with
    ``metadata.json`` (incl. ``"pipeline_demo": true``), ``model/``
    (CTranslate2), ``sentencepiece.model`` and ``README.md``.  Inputs of up to
    ``max_positions - 1`` SentencePiece tokens are copied exactly.
    Returns ``out_file``.
    """
    import sentencepiece as spm

    if max_positions < 2:
        raise ValueError("max_positions must be >= 2")
    out_file = Path(out_file)
    text = DEFAULT_TRAINING_TEXT if training_text is None else training_text
    sp_bytes = _train_sentencepiece(text, vocab_size)
    sp = spm.SentencePieceProcessor(model_proto=sp_bytes)
    vocab = [sp.id_to_piece(i) for i in range(sp.get_piece_size())]
    if vocab[:3] != ["<unk>", "<s>", "</s>"]:
        raise RuntimeError(f"unexpected SentencePiece special pieces: {vocab[:3]}")

    folder = f"translate-{from_code}_{to_code}-{package_version.replace('.', '_')}"
    with tempfile.TemporaryDirectory(prefix="demo-argos-") as tmp:
        pkg = Path(tmp) / folder
        pkg.mkdir()
        d_model = _write_ct2_model(vocab, max_positions, pkg / "model")
        (pkg / "sentencepiece.model").write_bytes(sp_bytes)
        metadata = {
            "package_version": package_version,
            "argos_version": "1.9",
            "from_code": from_code,
            "from_name": "English" if from_code == "en" else from_code,
            "to_code": to_code,
            "to_name": to_name,
            "type": "translate",
            "pipeline_demo": True,
            "max_input_tokens": max_positions - 1,
        }
        (pkg / "metadata.json").write_text(
            json.dumps(metadata, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
        )
        (pkg / "README.md").write_text(
            _README.format(
                from_code=from_code,
                to_code=to_code,
                vocab=len(vocab),
                d_model=d_model,
                max_tokens=max_positions - 1,
            ),
            encoding="utf-8",
        )
        out_file.parent.mkdir(parents=True, exist_ok=True)
        tmp_zip = Path(tmp) / "package.zip"
        _zip_dir(pkg, tmp_zip)
        shutil.move(str(tmp_zip), str(out_file))
    return out_file
