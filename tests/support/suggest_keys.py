"""Hand-made answer keys for `translate glossary suggest` and how a suggest result is scored against them.

The releases under tests/fixtures/releases/ (five written for issue 21, plus the key of the shared sample) each
have a `NAME.key.yaml` beside them: the names and people the release names that the fixture glossary
(tests/fixtures/releases/glossary/) lacks, written by hand from the text, not from suggest's output.

A suggest result is the JSON of `translate glossary suggest --format json` for one release: `{"names": [...],
"people": [{"name", "family", "titles": [{"title", "institution", "of"}]}]}`. Scored as the office reads it: every
line it would have to look at (each name, each person) is either in the key (a hit) or junk; a key name or person
not listed is missed. A person's institution is right when one of their titles carries the key's `of` (the
glossary id) or the key's `institution` (as written).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
RELEASES = ROOT / "tests" / "fixtures" / "releases"
GLOSSARY = RELEASES / "glossary"
SAMPLE_KEY = RELEASES / "kmu-kumamoto-mou-2025.key.yaml"
SECOND_SET = RELEASES / "second-set"  # written after the rules were settled (see its keys)
# The shared sample lies beside the repository (../shared/samples/); the repository's own copy is the fallback
# for tests, which must not depend on what lies outside the checkout.
SHARED_SAMPLE = ROOT.parent / "shared" / "samples" / "kmu-kumamoto-mou-2025.txt"
REPO_SAMPLE = ROOT / "samples" / "kmu-kumamoto-mou-2025.txt"


@dataclass
class KeyPerson:
    name: str
    of: str = ""  # the institution's id in the fixture glossary
    institution: str = ""  # the institution as written, where the glossary lacks it


@dataclass
class Key:
    names: list[str]
    people: list[KeyPerson]

    @property
    def everything(self) -> set[str]:
        return set(self.names) | {p.name for p in self.people}


@dataclass
class Score:
    release: str
    hits: list[str] = field(default_factory=list)
    junk: list[str] = field(default_factory=list)
    missed: list[str] = field(default_factory=list)
    institutions_right: int = 0
    institutions_expected: int = 0
    wrong_institutions: list[str] = field(default_factory=list)

    @property
    def found(self) -> int:
        return len(self.hits) + len(self.junk)

    @property
    def precision(self) -> float:
        return len(self.hits) / self.found if self.found else 1.0

    @property
    def recall(self) -> float:
        expected = len(self.hits) + len(self.missed)
        return len(self.hits) / expected if expected else 1.0


def load_key(path: Path) -> Key:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    people = [KeyPerson(p["name"], p.get("of", ""), p.get("institution", "")) for p in data.get("people") or []]
    return Key(list(data.get("names") or []), people)


def keyed_releases(folder: Path = RELEASES) -> list[tuple[Path, Path]]:
    """(release, key) for the releases of `folder` with a key, in name order: by default the five written for the
    suggest benchmark; SECOND_SET holds two written after its rules were settled."""
    pairs = []
    for key in sorted(folder.glob("*.key.yaml")):
        if key == SAMPLE_KEY:
            continue
        stem = key.name[: -len(".key.yaml")]
        (release,) = [p for p in folder.glob(stem + ".*") if p != key]
        pairs.append((release, key))
    return pairs


def score(release: str, result: dict, key: Key) -> Score:
    """Score one release's suggest result (its entry in the JSON output) against its key."""
    found: list[str] = []
    for name in [*result.get("names", []), *(p["name"] for p in result.get("people", []))]:
        if name not in found:
            found.append(name)
    wanted = key.everything
    scored = Score(release)
    scored.hits = [n for n in found if n in wanted]
    scored.junk = [n for n in found if n not in wanted]
    scored.missed = [n for n in [*key.names, *(p.name for p in key.people)] if n not in found]
    titles_of = {p["name"]: p.get("titles", []) for p in result.get("people", [])}
    for person in key.people:
        if not (person.of or person.institution):
            continue
        scored.institutions_expected += 1
        titles = titles_of.get(person.name, [])
        if any((person.of and t.get("of") == person.of) or
               (person.institution and t.get("institution") == person.institution) for t in titles):  # fmt: skip
            scored.institutions_right += 1
        else:
            given = "; ".join(t.get("of") or t.get("institution") or "-" for t in titles) or "not listed as a person"
            scored.wrong_institutions.append(f"{person.name}: {given} (key: {person.of or person.institution})")
    return scored


def total(scores: list[Score]) -> Score:
    """All releases as one: precision and recall over every line listed (micro average)."""
    whole = Score("overall")
    for s in scores:
        whole.hits += s.hits
        whole.junk += s.junk
        whole.missed += s.missed
        whole.institutions_right += s.institutions_right
        whole.institutions_expected += s.institutions_expected
    return whole
