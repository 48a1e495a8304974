"""Missing, corrupt, hostile and mislabelled translation packages: exit code 4, a clear message, and nothing
written outside the packages folder (nor left inside it).

See docs/robustness.md for the table of every class and the test that shows it.
"""

from __future__ import annotations

import json
import os
import stat
import struct
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.translation.engine import install, packages, verify
from pipeline.translation.engine.packages import installed_packages

TOP = "translate-en_ja-1_0"
METADATA = {"package_version": "1.0", "argos_version": "1.9", "from_code": "en", "from_name": "English",
            "to_code": "ja", "to_name": "Japanese", "type": "translate"}


def _tree(root: Path) -> list[tuple[str, int]]:
    """Every path under `root` (and its size): a snapshot to compare before and after."""
    return sorted((str(p.relative_to(root)), p.lstat().st_size if p.is_file() else -1) for p in root.rglob("*"))


def _package(path: Path, extra: list[tuple[zipfile.ZipInfo | str, bytes]] = (), compression=zipfile.ZIP_DEFLATED) -> Path:
    """A package-shaped zip (metadata, model, tokenizer) plus `extra` entries."""
    with zipfile.ZipFile(path, "w", compression) as zf:
        zf.writestr(f"{TOP}/metadata.json", json.dumps(METADATA))
        zf.writestr(f"{TOP}/model/model.bin", b"\x00weights")
        zf.writestr(f"{TOP}/sentencepiece.model", b"\x00tokenizer")
        for info, data in extra:
            zf.writestr(info, data)
    return path


def _rewrite_metadata(archive: Path, out: Path, **changes) -> Path:
    """A copy of an .argosmodel with metadata fields changed (e.g. an identity model passed off as a real one)."""
    with zipfile.ZipFile(archive) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename.endswith("/metadata.json"):
                data = json.dumps({**json.loads(data), **changes}).encode()
            target.writestr(info, data)
    return out


def _refused(result, *words: str) -> str:
    assert result.exit_code == 4, result.output
    assert "Traceback" not in result.output
    for word in words:
        assert word in result.output, (word, result.output)
    return result.output


# --- none installed -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang, pair, file", [("ja", "en→ja", "translate-en_ja"), ("zh-TW", "en→zt", "translate-en_zt")])
def test_no_model_installed_names_the_package_and_the_command(argos_dir, sample_copy, tmp_path, cli, lang, pair, file):
    out = tmp_path / "out"
    _refused(cli("run", sample_copy, "--to", lang, "--out", out), pair, file, "translate models install", "build-demo")
    assert not out.exists()


# --- corrupt packages -----------------------------------------------------------------------------------------


def _flip_inside_largest_entry(good: bytes, tmp_path: Path) -> bytes:
    probe = tmp_path / "probe.zip"
    probe.write_bytes(good)
    with zipfile.ZipFile(probe) as zf:
        big = max(zf.infolist(), key=lambda i: i.compress_size)
    probe.unlink()
    data = bytearray(good)
    start = big.header_offset + 30 + len(big.filename.encode()) + len(big.extra)
    for k in range(0, big.compress_size, max(1, big.compress_size // 16)):
        data[start + k] ^= 0x5A  # damaged deflate data: a bad CRC or an invalid stream, depending on where
    return bytes(data)


@pytest.mark.parametrize(
    "damage, words",
    [
        (lambda good, tmp: b"<html>404 Not Found</html>", "not a zip archive"),
        (lambda good, tmp: good[: len(good) // 2], "not a zip archive"),
        (lambda good, tmp: good[:-10], "not a zip archive"),
        (_flip_inside_largest_entry, "corrupt package"),
    ],
    ids=["not-a-zip", "truncated-half", "truncated-end", "damaged-inside"],
)
def test_corrupt_package_is_refused(argos_dir, identity_packages, tmp_path, cli, damage, words):
    archive = tmp_path / "damaged.argosmodel"
    archive.write_bytes(damage(identity_packages["ja"].read_bytes(), tmp_path))
    before = _tree(tmp_path)
    _refused(cli("models", "install", archive), str(archive), words)
    assert _tree(tmp_path) == before  # the packages folder included: no package, no .install-* staging folder
    assert installed_packages() == []


# --- hostile packages -----------------------------------------------------------------------------------------


def _symlink(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name)
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    return info


@pytest.mark.parametrize(
    "entry, words",
    [
        (f"{TOP}/../../../evil.txt", "points outside the package"),
        (f"{TOP}/model/../../../../evil.txt", "points outside the package"),
        ("/tmp/evil-absolute.txt", "points outside the package"),
        ("C:/evil.txt", "points outside the package"),
        (f"{TOP}\\..\\..\\evil.txt", "points outside the package"),
        (_symlink(f"{TOP}/model/link"), "symbolic link"),
    ],
    ids=["dotdot", "dotdot-deep", "absolute", "drive", "backslash", "symlink"],
)
def test_hostile_entry_is_refused_before_anything_is_written(tmp_path, argos_dir, cli, entry, words):
    archive = _package(tmp_path / "hostile.argosmodel", [(entry, b"../../../../../../etc/passwd\n")])
    before, parent_before = _tree(tmp_path), sorted(os.listdir(tmp_path.parent))
    _refused(cli("models", "install", archive), "refused", words)
    assert _tree(tmp_path) == before
    assert sorted(os.listdir(tmp_path.parent)) == parent_before
    assert not Path("/tmp/evil-absolute.txt").exists()
    assert list(argos_dir.iterdir()) == []


def test_zip_bomb_entry_is_refused(tmp_path, argos_dir, cli, monkeypatch):
    """One entry that expands ~1000×. Thresholds lowered so the test stays small (4 MB of zeros, 4 kB zipped)."""
    monkeypatch.setattr(install, "BOMB_MIN_BYTES", 1024**2)
    archive = _package(tmp_path / "bomb.argosmodel", [(f"{TOP}/model/padding.bin", bytes(4 * 1024**2))])
    assert archive.stat().st_size < 64 * 1024
    before = _tree(tmp_path)
    _refused(cli("models", "install", archive), "refused", "zip bomb")
    assert _tree(tmp_path) == before and list(argos_dir.iterdir()) == []


def test_zip_bomb_spread_over_many_entries_is_refused(tmp_path, argos_dir, cli, monkeypatch):
    """Each entry under the per-entry threshold, the whole archive still a bomb."""
    monkeypatch.setattr(install, "BOMB_MIN_BYTES", 1024**2)
    extra = [(f"{TOP}/model/part{k}.bin", bytes(900 * 1024)) for k in range(6)]
    archive = _package(tmp_path / "bomb.argosmodel", extra)
    before = _tree(tmp_path)
    _refused(cli("models", "install", archive), "refused", "zip bomb")
    assert _tree(tmp_path) == before and list(argos_dir.iterdir()) == []


def test_package_too_large_when_unpacked_is_refused(tmp_path, argos_dir, cli, monkeypatch):
    monkeypatch.setattr(install, "MAX_UNPACKED_BYTES", 1024**2)
    archive = _package(tmp_path / "big.argosmodel", [(f"{TOP}/model/big.bin", os.urandom(2 * 1024**2))], zipfile.ZIP_STORED)
    before = _tree(tmp_path)
    _refused(cli("models", "install", archive), "refused", "would unpack to")
    assert _tree(tmp_path) == before and list(argos_dir.iterdir()) == []


def test_not_enough_disk_space_is_refused_before_unpacking(tmp_path, argos_dir, cli, identity_packages, monkeypatch):
    monkeypatch.setattr(install.shutil, "disk_usage", lambda path: type("U", (), {"free": 1024})())
    before = _tree(tmp_path)
    _refused(cli("models", "install", identity_packages["ja"]), "not enough disk space")
    assert _tree(tmp_path) == before


def test_entry_whose_declared_size_lies_writes_no_more_than_declared(tmp_path, argos_dir, cli):
    """A bomb that declares a small size: zipfile stops at the declared size and the CRC check fails."""
    archive = _package(tmp_path / "liar.argosmodel", [(f"{TOP}/model/padding.bin", bytes(4 * 1024**2))])
    data = bytearray(archive.read_bytes())
    with zipfile.ZipFile(archive) as zf:
        info = zf.getinfo(f"{TOP}/model/padding.bin")
    struct.pack_into("<I", data, info.header_offset + 22, 1000)  # local header: uncompressed size
    central = data.find(b"PK\x01\x02")
    while central >= 0:
        name_len = struct.unpack_from("<H", data, central + 28)[0]
        if data[central + 46 : central + 46 + name_len] == info.filename.encode():
            struct.pack_into("<I", data, central + 24, 1000)  # central directory: uncompressed size
            break
        central = data.find(b"PK\x01\x02", central + 4)
    else:
        raise AssertionError("central directory entry not found")
    archive.write_bytes(bytes(data))
    with zipfile.ZipFile(archive) as zf:
        assert zf.getinfo(info.filename).file_size == 1000  # what the install check sees
    before = _tree(tmp_path)
    _refused(cli("models", "install", archive), "corrupt package")
    assert _tree(tmp_path) == before and list(argos_dir.iterdir()) == []


# --- packages whose metadata lies about their languages -------------------------------------------------------


def test_identity_model_passed_off_as_real_japanese_is_refused(tmp_path, argos_dir, identity_packages, cli):
    archive = _rewrite_metadata(identity_packages["ja"], tmp_path / "fake-ja.argosmodel", pipeline_demo=False, to_name="Japanese")
    before = _tree(tmp_path)
    _refused(cli("models", "install", archive), "refused", "declares ja", "English")
    assert _tree(tmp_path) == before and list(argos_dir.iterdir()) == []


def test_model_writing_chinese_declared_japanese_is_refused(tmp_path, argos_dir, identity_packages, cli, monkeypatch):
    """The identity model echoes the test sentences: feed it Chinese ones, so it 'translates' into Chinese."""
    monkeypatch.setattr(verify, "SMOKE_SENTENCES", ("他說學生明天會去醫院參觀。", "大學上週與該市簽署了協議。"))
    archive = _rewrite_metadata(identity_packages["ja"], tmp_path / "zh-as-ja.argosmodel", pipeline_demo=False, to_name="Japanese")
    _refused(cli("models", "install", archive), "declares ja", "Chinese", "not Japanese (kana)")
    assert installed_packages() == []


@pytest.mark.parametrize(
    "code, name, sentences",
    [
        ("ja", "Japanese", ("彼は学生たちが明日病院を訪問すると言った。", "大学は先週、市と協定を締結しました。")),
        ("zt", "Chinese (traditional)", ("他說學生明天會去醫院參觀。", "大學上週與該市簽署了協議。")),
    ],
)
def test_model_writing_its_declared_language_is_accepted(tmp_path, argos_dir, identity_packages, cli, monkeypatch, code, name, sentences):
    """The control: the same check lets a package through when its output matches its label."""
    monkeypatch.setattr(verify, "SMOKE_SENTENCES", sentences)
    archive = _rewrite_metadata(identity_packages[code], tmp_path / "honest.argosmodel", pipeline_demo=False, to_name=name)
    result = cli("models", "install", archive)
    assert result.exit_code == 0, result.output
    assert [(p.to_code, p.demo) for p in installed_packages()] == [(code, False)]


def test_metadata_contradicting_itself_is_refused(tmp_path, argos_dir, identity_packages, cli):
    archive = _rewrite_metadata(identity_packages["ja"], tmp_path / "confused.argosmodel", pipeline_demo=False, to_name="Chinese")
    _refused(cli("models", "install", archive), "to_code 'ja' but to_name 'Chinese'")
    assert installed_packages() == []


def test_lying_package_installed_behind_our_back_stops_the_run(tmp_path, argos_dir, identity_packages, sample_copy, cli):
    """Installed with --no-verify (or by another Argos tool): `translate run` checks it when it loads it."""
    archive = _rewrite_metadata(identity_packages["ja"], tmp_path / "fake-ja.argosmodel", pipeline_demo=False, to_name="Japanese")
    assert cli("models", "install", "--no-verify", archive).exit_code == 0
    out = tmp_path / "out"
    _refused(cli("run", sample_copy, "--to", "ja", "--out", out), "ja:", "translate-en_ja", "declares ja", "English")
    assert not out.exists()


def test_a_refused_upgrade_keeps_the_installed_package(tmp_path, argos_dir, identity_packages, cli):
    assert cli("models", "install", identity_packages["ja"]).exit_code == 0
    before = _tree(argos_dir)
    archive = _rewrite_metadata(identity_packages["ja"], tmp_path / "same-name.argosmodel", pipeline_demo=False, to_name="Japanese")
    _refused(cli("models", "install", archive), "declares ja")
    assert _tree(argos_dir) == before


@pytest.mark.parametrize(
    "to_code, outputs, demo, problem",
    [
        ("ja", ["彼は明日来ると言った。"], False, None),
        ("ja", ["他說他明天會來。"], False, "Chinese"),
        ("ja", ["He said he would come."], False, "English"),
        ("zt", ["他說他明天會來。"], False, None),
        ("zh", ["彼は明日来ると言った。"], False, "Japanese"),
        ("ko", ["그는 내일 온다고 말했다."], False, None),
        ("ko", ["他說他明天會來。"], False, "Chinese"),
        ("de", ["Er sagte, er komme morgen."], False, None),
        ("de", ["他說他明天會來。"], False, "Chinese"),
        ("de", ["He said he would come tomorrow."], False, "copies the English"),
        ("ja", ["He said he would come tomorrow."], True, None),
        ("ja", ["Something else entirely."], True, "does not copy"),
        ("ja", [""], False, "output nothing"),
    ],
)
def test_output_language_check(to_code, outputs, demo, problem):
    found = verify.output_problem(to_code, ["He said he would come tomorrow."], outputs, demo)
    if problem is None:
        assert found is None
    else:
        assert found is not None and problem in found


def test_verified_package_is_not_rechecked_until_a_file_changes(installed, monkeypatch):
    """The smoke translation runs once per package; a changed metadata.json makes it run again."""
    import pipeline.translation.engine.verify as verify
    from pipeline.translation.engine.argos import load_engine
    from pipeline.translation.engine.base import DecodeOptions
    from pipeline.translation.engine.packages import find_package

    package, _ = find_package("ja")
    assert (package.path / verify.MARKER).is_file()  # written by the check at install
    calls = []
    monkeypatch.setattr(verify, "output_problem", lambda *a: calls.append(a) or None)
    load_engine("ja", DecodeOptions(threads=1))
    assert calls == []
    metadata = package.path / "metadata.json"
    metadata.write_text(metadata.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    load_engine("ja", DecodeOptions(threads=1))
    assert len(calls) == 1


# --- a read-only or full packages folder ----------------------------------------------------------------------


def test_read_only_packages_folder_is_reported_before_disk_space(tmp_path, argos_dir, cli, identity_packages, monkeypatch):
    """A read-only folder on a small disk: the folder's permissions are the problem, not the (contradictory-looking)
    free space. The tests run as root, where chmod does not stop writes, so the refusal is simulated."""

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(install.tempfile, "mkdtemp", refuse)
    monkeypatch.setattr(install.shutil, "disk_usage", lambda path: type("U", (), {"free": 5 * 1024**2})())
    before = _tree(tmp_path)
    output = _refused(cli("models", "install", identity_packages["ja"]), "cannot write to the packages folder",
                      str(argos_dir), "Permission denied", "ARGOS_PACKAGES_DIR")
    assert "disk space" not in output
    assert output.strip().count("\n") == 0
    assert _tree(tmp_path) == before


def test_disk_space_message_states_the_margin_it_includes(tmp_path, argos_dir, cli, identity_packages, monkeypatch):
    """"needs 2 MB, 5 MB free" looked contradictory: the message says the 64 MB kept free besides the package."""
    monkeypatch.setattr(install.shutil, "disk_usage", lambda path: type("U", (), {"free": 5 * 1024**2})())
    output = _refused(cli("models", "install", identity_packages["ja"]), "not enough disk space", "64 MB", "kept free",
                      "5 MB free")
    assert output.strip().count("\n") == 0
    assert list(argos_dir.iterdir()) == []


# --- a package whose model is damaged inside (the zip itself is sound) ---------------------------------------


def _damaged_model(archive: Path, out: Path, **changes) -> Path:
    """A copy of an .argosmodel whose model.bin is cut to a third (valid zip, CRCs right; CTranslate2 refuses it)."""
    with zipfile.ZipFile(archive) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename.endswith("/model/model.bin"):
                data = data[: len(data) // 3]
            elif info.filename.endswith("/metadata.json"):
                data = json.dumps({**json.loads(data), **changes}).encode()
            target.writestr(info, data)
    return out


def test_package_with_a_damaged_model_names_the_package_file_at_install(tmp_path, argos_dir, identity_packages, cli):
    archive = _damaged_model(identity_packages["ja"], tmp_path / "damaged-model.argosmodel", pipeline_demo=False,
                             to_name="Japanese")
    before = _tree(tmp_path)
    output = _refused(cli("models", "install", archive), f"{archive}: damaged package", "cannot be loaded",
                      "fresh copy", "--from-index en ja")
    assert ".install-" not in output  # not the staging folder, which is gone
    assert "FILE.argosmodel" not in output  # installing the same file again would fail again
    assert output.strip().count("\n") == 0
    assert _tree(tmp_path) == before and installed_packages() == []


def test_installed_package_with_a_damaged_model_names_the_package_folder_at_run(tmp_path, argos_dir, identity_packages,
                                                                                sample_copy, cli):
    archive = _damaged_model(identity_packages["ja"], tmp_path / "damaged-model.argosmodel", pipeline_demo=False,
                             to_name="Japanese")
    assert cli("models", "install", "--no-verify", archive).exit_code == 0
    (package,) = installed_packages()
    out = tmp_path / "out"
    output = _refused(cli("run", sample_copy, "--to", "ja", "--out", out), "ja:", package.name, str(package.path),
                      "damaged", "--from-index en ja")
    assert "FILE.argosmodel" not in output
    assert output.strip().count("\n") == 0
    assert not out.exists()


def test_damaged_demo_model_says_to_rebuild_it(tmp_path, argos_dir, identity_packages, sample_copy, cli):
    archive = _damaged_model(identity_packages["ja"], tmp_path / "damaged-demo.argosmodel")
    _refused(cli("models", "install", archive), str(archive), "damaged package", "translate models build-demo")
    assert cli("models", "install", "--no-verify", archive).exit_code == 0
    _refused(cli("run", sample_copy, "--to", "ja", "--out", tmp_path / "out"), "damaged", "translate models build-demo")


# --- an installed package whose metadata.json is damaged ------------------------------------------------------


def _break_metadata(argos_dir: Path, to_code: str, text: str = '{"from_code": "en", "to_') -> Path:
    (folder,) = [p for p in argos_dir.iterdir() if p.name.startswith(f"translate-en_{to_code}")]
    (folder / "metadata.json").write_text(text, encoding="utf-8")
    return folder


def test_models_list_shows_a_package_with_damaged_metadata_as_broken(installed, cli):
    folder = _break_metadata(installed, "zt")
    result = cli("models", "list")
    assert result.exit_code == 0, result.output
    line = next(line for line in result.output.splitlines() if folder.name in line)
    assert "BROKEN" in line and "metadata.json" in line and "not valid JSON" in line
    assert "translate models build-demo" in line  # a demo copy model (its folder name says so) is rebuilt
    assert any("en→ja" in line for line in result.output.splitlines())  # the good one is still listed


def test_run_names_the_broken_package_instead_of_saying_there_is_none(installed, sample_copy, tmp_path, cli):
    folder = _break_metadata(installed, "zt")
    out = tmp_path / "out"
    output = _refused(cli("run", sample_copy, "--to", "zh-TW", "--out", out), "zh-TW", str(folder), "broken",
                      "metadata.json", "reinstall")
    assert "No Argos package" not in output
    assert output.strip().count("\n") == 0
    assert not out.exists()


def test_a_broken_package_that_would_have_been_used_is_warned_about(installed, sample_copy, tmp_path, cli):
    """A damaged real en→zt package beside a demo copy model: the run goes on with the demo (labelled so), and says
    why it did not use the real one."""
    broken = installed / "translate-en_zt-1_9"
    (broken / "model").mkdir(parents=True)
    (broken / "metadata.json").write_bytes(b"\x00" * 40)
    result = CliRunner().invoke(main, ["run", str(sample_copy), "--to", "zh-TW", "--out", str(tmp_path / "out"), "-q"])
    assert result.exit_code == 0, result.output
    assert str(broken) in result.stderr and "broken" in result.stderr and "DEMO" in result.stderr


@pytest.mark.parametrize(
    "files, found",
    [
        ({"metadata.json": "{"}, "not valid JSON"),
        ({"metadata.json": "[1, 2]"}, "not a JSON object"),
        ({"metadata.json": '{"type": "translate", "from_code": "en"}'}, "no from_code/to_code"),
        ({"metadata.json": b"\xff\xfe\x00"}, "not UTF-8"),
        ({"model/model.bin": "x"}, "no metadata.json"),
        ({"metadata.json": '{"type": "sbd", "from_code": "en"}'}, None),  # another Argos package type: not ours
        ({"notes.txt": "x"}, None),  # not a package at all
    ],
)
def test_package_folders_that_cannot_be_used(tmp_path, files, found):
    folder = tmp_path / "translate-en_ja-1_0"
    for name, data in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data if isinstance(data, bytes) else data.encode())
    usable, broken = packages.scan_packages(tmp_path)
    assert usable == []
    if found is None:
        assert broken == []
    else:
        (only,) = broken
        assert found in only.reason and (only.from_code, only.to_code) == ("en", "ja")
