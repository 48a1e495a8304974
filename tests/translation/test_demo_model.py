"""The identity demo package is a real Argos package that copies its input exactly."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import pytest

ctranslate2 = pytest.importorskip("ctranslate2")
spm = pytest.importorskip("sentencepiece")

from pipeline.translation.engine.demo_model import build_identity_package  # noqa: E402

SAMPLE = Path(__file__).resolve().parents[2] / "samples" / "kmu-kumamoto-mou-2025.txt"
MAX_POSITIONS = 512

EXTRA_TEXTS = [
    "(中央社訊息服務20251127 16:22:39)",
    "（中央社訊息服務）全形括號",
    "⟦T1⟧ signed with ⟦T2⟧.",
    "⟦T10⟧⟦T11⟧ ⟦/T1⟧",
    "Congratulations 🎉🇹🇼 on the 1,000-yen banknote!",
    "Prices: 1,000-yen, NT$2,500 and 3.5% (Nov. 27, 2025).",
    "snake_case_name and __dunder__",
    "  leading and  double spaces, trailing tab\t",
    "熊本大学と高雄医学大学が協定を締結しました。",
    "a",
]


def _sample_sentences() -> list[str]:
    sentences = []
    for line in SAMPLE.read_text(encoding="utf-8").splitlines():
        sentences += [s for s in re.split(r"(?<=[.!?])\s+", line) if s]
    return sentences


@pytest.fixture(scope="module")
def package(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("demo_model")
    package_file = build_identity_package(tmp / "translate-en_zt-demo.argosmodel")
    packages_dir = tmp / "argos-packages"
    with zipfile.ZipFile(package_file) as zf:
        tops = {name.split("/", 1)[0] for name in zf.namelist()}
        zf.extractall(packages_dir)
    assert len(tops) == 1
    package_dir = packages_dir / tops.pop()
    translator = ctranslate2.Translator(str(package_dir / "model"), device="cpu", intra_threads=1)
    sp = spm.SentencePieceProcessor(model_file=str(package_dir / "sentencepiece.model"))
    return {"file": package_file, "dir": package_dir, "translator": translator, "sp": sp}


def _texts(sp) -> list[str]:
    texts = _sample_sentences() + EXTRA_TEXTS
    for text in texts:
        assert len(sp.encode(text)) < MAX_POSITIONS, text
    return texts


def _copy(translator, sp, texts, beam_size):
    batch = sp.encode(texts, out_type=str)
    results = translator.translate_batch(
        batch, beam_size=beam_size, max_input_length=0, max_decoding_length=MAX_POSITIONS
    )
    return [sp.decode(result.hypotheses[0]) for result in results]


def test_package_layout(package):
    package_dir = package["dir"]
    assert package_dir.name == "translate-en_zt-0_0-demo"
    for name in ("metadata.json", "sentencepiece.model", "README.md", "model/model.bin", "model/config.json"):
        assert (package_dir / name).is_file(), name
    assert list((package_dir / "model").glob("*vocabulary*"))
    assert "identity" in (package_dir / "README.md").read_text(encoding="utf-8").lower()
    config = json.loads((package_dir / "model" / "config.json").read_text(encoding="utf-8"))
    assert config["add_source_eos"] is True
    assert package["file"].stat().st_size < 5_000_000


def test_metadata(package):
    metadata = json.loads((package["dir"] / "metadata.json").read_text(encoding="utf-8"))
    assert metadata["package_version"] == "0.0-demo"
    assert metadata["argos_version"] == "1.9"
    assert metadata["from_code"] == "en"
    assert metadata["from_name"] == "English"
    assert metadata["to_code"] == "zt"
    assert metadata["to_name"] == "Chinese (traditional)"
    assert metadata["type"] == "translate"
    assert metadata["pipeline_demo"] is True


def test_argos_reads_package(package):
    import argostranslate.package

    pkg = argostranslate.package.Package(package["dir"])
    assert pkg.from_code == "en"
    assert pkg.to_code == "zt"
    assert pkg.type == "translate"


@pytest.mark.parametrize("beam_size", [1, 4])
def test_identity_exact(package, beam_size):
    texts = _texts(package["sp"])
    assert _copy(package["translator"], package["sp"], texts, beam_size) == texts


def test_identity_one_by_one_and_at_length_limit(package):
    sp, translator = package["sp"], package["translator"]
    long_text = " ".join(_sample_sentences())
    pieces = sp.encode(long_text, out_type=str)[: MAX_POSITIONS - 1]
    limit_text = sp.decode(pieces)
    assert len(sp.encode(limit_text)) == MAX_POSITIONS - 1
    for text in ["⟦T1⟧ signed with ⟦T2⟧.", limit_text]:
        assert _copy(translator, sp, [text], 1) == [text]


def test_identity_with_auto_compute_type(package):
    # The engine loads packages with compute_type="auto" (int8 on most CPUs).
    translator = ctranslate2.Translator(
        str(package["dir"] / "model"), device="cpu", compute_type="auto", intra_threads=1
    )
    texts = EXTRA_TEXTS + _sample_sentences()[:3]
    assert _copy(translator, package["sp"], texts, 4) == texts


def test_small_custom_build(tmp_path):
    package_file = build_identity_package(
        tmp_path / "tiny.argosmodel",
        from_code="en",
        to_code="ja",
        to_name="Japanese",
        training_text="hello world",
        vocab_size=5000,
        max_positions=40,
        package_version="1.2.3",
    )
    with zipfile.ZipFile(package_file) as zf:
        zf.extractall(tmp_path / "pk")
    package_dir = tmp_path / "pk" / "translate-en_ja-1_2_3"
    metadata = json.loads((package_dir / "metadata.json").read_text(encoding="utf-8"))
    assert (metadata["to_code"], metadata["to_name"], metadata["package_version"]) == ("ja", "Japanese", "1.2.3")
    translator = ctranslate2.Translator(str(package_dir / "model"), device="cpu", intra_threads=1)
    sp = spm.SentencePieceProcessor(model_file=str(package_dir / "sentencepiece.model"))
    texts = ["hello ⟦T1⟧", "日本 1,000-yen"]
    assert all(len(sp.encode(t)) < 40 for t in texts)
    # max_decoding_length (512) > max_positions (40): beam-search runners-up must
    # stop at the source's end instead of running past the position table.
    assert _copy(translator, sp, texts, 4) == texts
    pieces = sp.encode(texts[0], out_type=str)
    result = translator.translate_batch([pieces], beam_size=4, num_hypotheses=4, max_decoding_length=512)[0]
    assert result.hypotheses[0] == pieces
    assert all(len(h) <= len(pieces) + 1 for h in result.hypotheses)


def test_build_is_deterministic(package, tmp_path):
    again = build_identity_package(tmp_path / "again.argosmodel")
    assert again.read_bytes() == package["file"].read_bytes()
