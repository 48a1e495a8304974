"""`translate glossary suggest --from-reviews [OUTPUT_FOLDER]`: glossary entries learned from the reviewed rows of
every release under an output folder (pipeline/glossary/learn.py), printed with their evidence and, with
`--write FILE`, written as proposed entries (merged into an existing file as plain `suggest --write` does:
comments kept, a backup made)."""

from __future__ import annotations

import json
from pathlib import Path

import click

from pipeline.files.atomic import atomic_write_bytes
from pipeline.glossary.editing import merge_into_yaml
from pipeline.glossary.formats import FORMATS
from pipeline.glossary.formats.tbx_format import generated_id
from pipeline.glossary.glossary import Glossary
from pipeline.glossary.learn import Learned, Proposal, learn
from pipeline.glossary.model import Entry
from pipeline.glossary.people.suggest import proposed_entries
from pipeline.publish.status import release_manifests
from pipeline.review.reviewed_rows import reviewed_rows

__all__ = ["learned_entries", "suggest_from_reviews"]


def suggest_from_reviews(folder: Path, glossary: Glossary | None, fmt: str, write: Path | None) -> None:
    """Read every release under `folder`, print what reviewers' texts propose, write it to `write` if given."""
    manifests = release_manifests([folder])
    rows = [row for manifest in manifests for row in reviewed_rows(manifest)]
    releases = list(dict.fromkeys(row.release for row in rows))
    learned = learn(rows, glossary)
    if fmt == "json":
        payload = {
            "folder": str(folder),
            "releases": releases,
            "rows": len(rows),
            "proposals": [p.to_dict() for p in learned.proposals],
            "undecided": [u.to_dict() for u in learned.undecided],
        }
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
    else:
        _print(folder, len(manifests), releases, len(rows), learned)
    if write is not None:
        write_proposed_entries(
            write, learned_entries(learned, glossary, sorted({row.lang for row in rows})),
            added_hint="check them with the office", wrote_hint=f"; then `translate glossary check {write}`",
        )  # fmt: skip


def _print(folder: Path, found: int, releases: list[str], rows: int, learned: Learned) -> None:
    langs = ", ".join(sorted({p.lang for p in learned.proposals} | {u.lang for u in learned.undecided}))
    click.echo(
        f"{folder}: {rows} reviewed row{'s' if rows != 1 else ''} in {len(releases)} of {found} "
        f"release{'s' if found != 1 else ''}" + (f" ({langs})" if langs else "")
    )
    new = [p for p in learned.proposals if p.kind == "new"]
    changes = [p for p in learned.proposals if p.kind == "change"]
    if new:
        click.echo("Names the glossary lacks, in the form reviewers wrote:")
        for proposal in new:
            click.echo(f"  {proposal.describe()}")
    if changes:
        click.echo("Glossary forms reviewers keep replacing:")
        for proposal in changes:
            click.echo(f"  {proposal.describe()}")
    if learned.undecided:
        click.echo("Not proposed (no single form reached agreement):")
        for undecided in learned.undecided:
            click.echo(f"  {undecided.describe()}")
    if not learned.proposals:
        click.echo("Nothing to propose: no name with the same form in at least 2 reviewed rows.")


def learned_entries(learned: Learned, glossary: Glossary | None, langs: list[str]) -> list[Entry]:
    """One proposed entry per name: a new name with its forms per language (of the reviewed `langs`, those where
    reviewers agreed; the note names the others); a changed glossary name as a copy of its entry under a new id with
    the reviewers' forms (the office changes the entry and deletes the copy, or deletes the copy). The evidence goes
    into each entry's note."""
    used = {e.id for e in glossary.entries} if glossary is not None else set()
    entries: list[Entry] = []
    for english, proposals in _grouped(learned.proposals, "new").items():
        (entry,) = proposed_entries([], [english], "reviews", used)
        entry.targets = {p.lang: p.form for p in proposals}
        missing = [lang for lang in langs if lang not in entry.targets]
        entry.note = "Learned from reviews by glossary suggest --from-reviews: " + "; ".join(_evidence(p) for p in proposals)
        if missing:
            entry.note += f". No form agreed in {', '.join(missing)}: fill it in"
        entries.append(entry)
        used.add(entry.id)
    for entry_id, proposals in _grouped(learned.proposals, "change").items():
        current = glossary.get(entry_id) if glossary is not None else None
        targets = dict(current.targets) if current is not None else {}
        targets.update({p.lang: p.form for p in proposals})
        entries.append(
            Entry(
                id=generated_id(f"{entry_id} as reviewed", used),
                english=proposals[0].english,
                kind=current.kind if current is not None else "term",
                status="proposed",
                targets=targets,
                note=f"Reviewers' forms for {entry_id}: "
                + "; ".join(_evidence(p) for p in proposals)
                + f". If agreed, change {entry_id}'s targets and delete this entry; otherwise delete this entry.",
            )
        )
        used.add(entries[-1].id)
    return entries


def _grouped(proposals: list[Proposal], kind: str) -> dict[str, list[Proposal]]:
    grouped: dict[str, list[Proposal]] = {}
    for proposal in proposals:
        if proposal.kind == kind:
            grouped.setdefault(proposal.entry if kind == "change" else proposal.english, []).append(proposal)
    return grouped


def _evidence(proposal: Proposal) -> str:
    rows = ", ".join(f"{release} {segment}" for release, segment in proposal.evidence)
    if proposal.kind == "change":
        return (
            f"{proposal.lang} {proposal.replaces} → {proposal.form} in {proposal.agree} of the {proposal.rows} rows "
            f"where reviewers replaced it ({rows}), kept in {proposal.kept}"
        )
    return f"{proposal.lang} {proposal.form} in {proposal.agree} of {proposal.rows} reviewed rows ({rows})"


def write_proposed_entries(write: Path, entries: list[Entry], *, added_hint: str, wrote_hint: str) -> None:
    """`--write` of both kinds of suggest: a new YAML file of proposed entries, or the new ones merged into an
    existing file (its comments kept, a backup made); nothing written when there is nothing to propose."""
    if not entries:
        click.echo(f"Nothing to propose: {write} not written", err=True)
        return
    if write.exists():
        report = merge_into_yaml(write, entries, update_existing=False)
        backup = f" (the file before is {report.backup})" if report.backup else ""
        click.echo(f"{write}: {len(report.added)} proposed entries added{backup}; {added_hint}", err=True)
        return
    atomic_write_bytes(write, FORMATS["yaml"].dumps(entries))
    click.echo(f"Wrote {len(entries)} proposed entries to {write}{wrote_hint}", err=True)
