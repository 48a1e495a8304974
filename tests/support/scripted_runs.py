"""A release through the whole pipeline with scripted engines, ready to publish."""

from __future__ import annotations

from pathlib import Path

from pipeline.glossary import load_glossary
from pipeline.run import run_releases
from support.paths import GLOSSARY
from support.scripted_engines import ScriptedEngine, pseudo_translate


def run_and_review(release: Path, out: Path, cli, script=pseudo_translate, engine_class=ScriptedEngine) -> Path:
    """`release` run through scripted engines into `out`, and both review documents imported back with every row
    approved as it is: the release's output folder."""
    engines = {"zh-TW": engine_class(script), "ja": engine_class(script, to_code="ja", lang="ja")}
    run_releases([release], engines, out, glossary=load_glossary(GLOSSARY))
    folder = out / release.stem
    for lang in ("zh-TW", "ja"):
        result = cli("review", "import", folder / f"{release.stem}.{lang}.review.docx", "--accept-unedited", "--approve-all", "--no-memory")
        assert result.exit_code == 0, result.output
    return folder
