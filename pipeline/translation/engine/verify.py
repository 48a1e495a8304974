"""Does a package translate into the language its metadata declares?

A package is a zip anyone can build: its `metadata.json` may say en→ja while its model writes Chinese (a mislabelled
or tampered download), or say `to_code: "ja"` and `to_name: "Chinese"`. Either would put the wrong language into
every review document. So before a package is installed, and when a run loads it, it translates a few fixed English
sentences and the output's script must match the declared target:

* ja: Japanese (kana in the output; `detect.detect_language` says "ja");
* zh, zt: Chinese (Han without kana); ko: Korean (Hangul);
* any other target: not CJK and not a copy of the English input.

A demo copy model (`"pipeline_demo": true`, built by `translate models build-demo`) is exempt from both checks,
since its output is the English by design and every document made with it says NOT A TRANSLATION; it must instead
copy the sentences exactly. A benchmark package with random weights (`"benchmark_random_weights": true`) is exempt
too and labelled the same way (packages.py treats it as a demo). A package that claims either to skip the check
therefore gets its output labelled as not a translation everywhere.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from pipeline.core.errors import ModelError
from pipeline.language import ALL as ALL_LANGUAGES
from pipeline.source.detect import detect_language, language_name
from pipeline.translation.engine.packages import damaged_model_error

# Plain sentences every real en→X model translates into full sentences in its target script.
SMOKE_SENTENCES = (
    "She said that the students will visit the hospital tomorrow.",
    "The university signed an agreement with the city last week.",
    "We are happy to welcome our new colleagues.",
)

# Declared target code → the language `detect_language` must find in the output (the registry's Argos routes).
EXPECTED_SCRIPT = {route.code: lang.detected_as for lang in ALL_LANGUAGES for route in lang.argos}
SCRIPT_WORDS = {lang.detected_as: lang.script_words for lang in ALL_LANGUAGES}
_SCRIPT_LANGUAGES = frozenset(SCRIPT_WORDS)  # what detect_language names from the script alone (zh, ja, ko)

# Words of `to_name` that name a language: a name that names another language than `to_code` is a lie.
_NAME_LANGUAGE = {lang.english_name.split()[-1].lower(): lang.detected_as for lang in ALL_LANGUAGES} | {"english": "en"}
_CODE_FAMILY = EXPECTED_SCRIPT  # zt → zh


def metadata_problem(metadata: dict) -> str | None:
    """A contradiction inside metadata.json (`to_code` vs `to_name`, `from_code` vs `from_name`), or None."""
    for code_key, name_key in (("to_code", "to_name"), ("from_code", "from_name")):
        code, name = metadata.get(code_key), metadata.get(name_key)
        if not isinstance(code, str) or not isinstance(name, str):
            continue
        family = _CODE_FAMILY.get(code, code)
        named = {lang for word, lang in _NAME_LANGUAGE.items() if word in name.lower()}
        if named and family not in named:
            return f"its metadata says {code_key} {code!r} but {name_key} {name!r}"
    return None


def output_problem(to_code: str, sources: list[str], outputs: list[str], demo: bool) -> str | None:
    """Why `outputs` (the model's translations of `sources`) do not fit the declared target, or None."""
    if demo:
        if [o.strip() for o in outputs] != [s.strip() for s in sources]:
            return "it says it is a demo copy model but does not copy its input"
        return None
    text = " ".join(o.strip() for o in outputs)
    if not text.strip():
        return "its model output nothing for a plain test sentence"
    found, _ = detect_language(text)
    expected = EXPECTED_SCRIPT.get(to_code)
    if expected is not None:
        if found != expected:
            return (
                f"it declares {to_code} but its model wrote {language_name(found)} ({found}), "
                f"not {SCRIPT_WORDS[expected]}: {text[:60]!r}"
            )
        return None
    if found in _SCRIPT_LANGUAGES:
        return f"it declares {to_code} but its model wrote {language_name(found)}: {text[:60]!r}"
    if [o.strip() for o in outputs] == [s.strip() for s in sources] and to_code != "en":
        return f"it declares {to_code} but its model copies the English input"
    return None


MARKER = ".pipeline-verified"


def fingerprint(folder: Path) -> str:
    """What the check vouched for: the metadata bytes and the model files' sizes and times."""
    digest = hashlib.sha256((folder / "metadata.json").read_bytes())
    for name in ("model/model.bin", "sentencepiece.model"):
        info = (folder / name).stat()
        digest.update(f"{name}:{info.st_size}:{info.st_mtime_ns}".encode())
    return digest.hexdigest()


def _already_verified(folder: Path) -> bool:
    try:
        return (folder / MARKER).read_text(encoding="ascii").strip() == fingerprint(folder)
    except (OSError, ValueError):
        return False


def _remember_verified(folder: Path) -> None:
    # Saves each later run the smoke translation (~0.2 s a language); a changed file invalidates it.
    try:
        (folder / MARKER).write_text(fingerprint(folder) + "\n", encoding="ascii")
    except OSError:
        pass  # a read-only packages folder: the check simply runs again next time


def check_engine(engine, package, where: str, lang: str | None = None, archive: Path | None = None) -> None:
    """Raise ModelError when `package` (loaded in `engine`) does not translate into its declared language.

    `lang`: the project language a run loads it for; `archive`: the .argosmodel file it is being installed from."""
    if _already_verified(package.path):
        return
    metadata = _metadata(package.path)
    if package.demo and not metadata.get("pipeline_demo"):
        return  # a benchmark's random weights: nothing to check, and labelled as not a translation
    problem = None if package.demo else metadata_problem(metadata)
    if problem is None:
        sources = list(SMOKE_SENTENCES)
        try:
            outputs = engine.translate(sources)
        except Exception as exc:  # a broken model: CTranslate2 raises RuntimeError and others
            raise damaged_model_error(package, lang or package.to_code, exc, archive) from exc
        problem = output_problem(package.to_code, sources, outputs, package.demo)
    if problem:
        raise ModelError(
            f"{where}: package {package.name} refused, {problem}. Its language label cannot be trusted; "
            "get the package again from a trusted source (Argos' index: `translate models install --from-index`)"
        )
    _remember_verified(package.path)


def _metadata(folder: Path) -> dict:
    try:
        data = json.loads((folder / "metadata.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}
