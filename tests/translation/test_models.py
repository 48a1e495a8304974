"""Argos packages: install as users do, find the right one per language, drive it in one batched call."""

from __future__ import annotations

import json
import zipfile

import pytest

from pipeline.translation.engine.argos import load_engine
from pipeline.translation.engine.base import DecodeOptions
from pipeline.translation.engine.demo_model import build_identity_package
from pipeline.translation.engine.packages import find_package, installed_packages
from pipeline.core.errors import ModelError


def _rewrite_metadata(archive, out, **changes):
    """Copy an .argosmodel with some metadata fields changed (e.g. a 'real', non-demo package)."""
    with zipfile.ZipFile(archive) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename.endswith("/metadata.json"):
                metadata = json.loads(data)
                metadata.update(changes)
                data = json.dumps(metadata).encode()
            target.writestr(info.filename.replace("0_0-demo", changes.get("package_version", "0_0-demo").replace(".", "_")), data)
    return out


def test_models_install_and_list(installed, cli):
    result = cli("models", "list")
    assert result.exit_code == 0
    assert "en→zt" in result.output and "serves zh-TW" in result.output
    assert "en→ja" in result.output and "DEMO" in result.output
    assert {(p.from_code, p.to_code) for p in installed_packages()} == {("en", "zt"), ("en", "ja")}


def test_models_install_without_arguments_is_a_usage_error(argos_dir, cli):
    result = cli("models", "install")
    assert result.exit_code == 2
    assert "give one or more .argosmodel files, or --from-index FROM TO" in result.output
    assert list(argos_dir.iterdir()) == []


def test_zh_tw_falls_back_to_simplified_package_plus_opencc(argos_dir, tmp_path, cli):
    package = build_identity_package(tmp_path / "zh.argosmodel", to_code="zh", to_name="Chinese")
    assert cli("models", "install", package).exit_code == 0
    engine = load_engine("zh-TW", DecodeOptions(threads=1))
    assert engine.info.to_code == "zh" and engine.info.converter == "opencc:s2twp"
    # The copy model returns the Simplified text; OpenCC turns it into Taiwan Traditional with Taiwan phrasing.
    assert engine.translate(["软件信息", "学术合作备忘录"]) == ["軟體資訊", "學術合作備忘錄"]


def test_traditional_package_is_preferred_over_simplified(installed, tmp_path, cli):
    package = build_identity_package(tmp_path / "zh.argosmodel", to_code="zh", to_name="Chinese")
    assert cli("models", "install", package).exit_code == 0
    chosen, converter = find_package("zh-TW")
    assert chosen.to_code == "zt" and converter is None


def test_real_package_wins_over_demo(installed, identity_packages, tmp_path, cli):
    real = _rewrite_metadata(identity_packages["ja"], tmp_path / "real-ja.argosmodel", pipeline_demo=False, package_version="1.1")
    # an identity model relabelled as real would fail the language check (it writes English): skipped here
    assert cli("models", "install", "--no-verify", real).exit_code == 0
    chosen, _ = find_package("ja")
    assert chosen.demo is False and chosen.version == "1.1"


def test_engine_translates_whole_batch_in_one_call(installed, monkeypatch):
    engine = load_engine("ja", DecodeOptions(threads=1, beam_size=1))
    calls = []
    original = engine._translator.translate_batch

    def counting(batch, **kwargs):
        calls.append(len(batch))
        return original(batch, **kwargs)

    monkeypatch.setattr(engine, "_translator", type("T", (), {"translate_batch": staticmethod(counting)})())
    texts = ["First sentence.", "Second one with ⟦1⟧ inside.", "snake_case_name stays", "熊本大学 and 1,000-yen"]
    assert engine.translate(texts) == texts
    assert calls == [4]


def test_unknown_language_names_the_package_to_install(argos_dir):
    with pytest.raises(ModelError) as caught:
        find_package("ko")
    assert "en→ko" in caught.value.message and "translate models install" in caught.value.message


def test_models_install_from_index_offline_is_a_clear_error(argos_dir, cli, monkeypatch):
    monkeypatch.setenv("ARGOS_PACKAGE_INDEX", "http://127.0.0.1:9/")  # nothing listens: behaves like offline
    import argostranslate.settings as settings

    monkeypatch.setattr(settings, "remote_package_index", "http://127.0.0.1:9/index.json")
    monkeypatch.setattr(settings, "local_package_index", argos_dir / "no-index.json")
    result = cli("models", "install", "--from-index", "en", "ja")
    assert result.exit_code == 4
    assert "translate models install FILE" in result.output
