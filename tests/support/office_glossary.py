"""An office folder with its own small glossary (`glossaries/names.yaml`, written here, never the shipped one) and
.docx releases run in it as the office does (`glossaries` given as a relative path), reviewed and approved: the
setting of the glossary-change tests (issue 19: the gate's glossary from any folder, `glossary check --against`
over what is published)."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from pathlib import Path

from pipeline.glossary import load_glossary
from pipeline.run import run_releases
from support import formatted_release as fr
from support.scripted_engines import ScriptedEngine, pseudo_translate

TERM = "Kumamoto University"  # named twice in the formatted release (title and lead paragraph)
ZH, JA = "熊本大學", "熊本大学"
JA_NEW = "国立大学法人熊本大学"

NAMES = """version: 1
entries:
  - id: kumamoto-university
    english: Kumamoto University
    kind: institution
    status: approved
    targets:
      zh-TW: {zh}
      ja: {ja}
"""


@dataclass
class Office:
    root: Path  # the folder the office works in: glossaries/, releases/, output/

    @property
    def glossary(self) -> Path:
        return self.root / "glossaries"

    @property
    def out(self) -> Path:
        return self.root / "output"

    def folder(self, release: str) -> Path:
        return self.out / release

    def set_ja(self, form: str) -> None:
        """The office changes the Japanese form of the one entry."""
        (self.glossary / "names.yaml").write_text(NAMES.format(zh=ZH, ja=form), encoding="utf-8")


def office(root: Path) -> Office:
    made = Office(root)
    made.glossary.mkdir(parents=True)
    (root / "releases").mkdir()
    made.set_ja(JA)
    return made


def run_in_office(made: Office, cli, *names: str, approve: bool = True) -> list[Path]:
    """Each name a .docx release (support.formatted_release) run from inside the office folder with the relative
    glossary path `glossaries`, as `translate run` finds it; both review documents imported with every row
    approved (`approve=False`: not imported, every row unreviewed). Returns the release folders."""
    folders = []
    with contextlib.chdir(made.root):
        for name in names:
            release = fr.build_docx(Path("releases") / f"{name}.docx")
            engines = {"zh-TW": ScriptedEngine(pseudo_translate), "ja": ScriptedEngine(pseudo_translate, to_code="ja", lang="ja")}
            run_releases([release], engines, Path("output"), glossary=load_glossary(Path("glossaries")))
            for lang in ("zh-TW", "ja") if approve else ():
                review = Path("output") / name / f"{name}.{lang}.review.docx"
                result = cli("review", "import", review, "--accept-unedited", "--approve-all", "--no-memory")
                assert result.exit_code == 0, result.output
            folders.append(made.folder(name))
    return folders


def published_office(root: Path, cli, *names: str) -> tuple[Office, list[Path]]:
    """An office (`office`) whose releases `names` are run, approved (`run_in_office`) and published; returns the
    office and the release folders."""
    made = office(root)
    folders = run_in_office(made, cli, *names)
    for folder in folders:
        result = cli("publish", folder, "--no-memory")
        assert result.exit_code == 0, result.output
    return made, folders
