"""One vocabulary for where a review row stands, and one count of a language's rows, so that `translate run`,
`review import` and `publish` say the same thing with the same numbers (docs/review.md, "Approving rows").

Every row of a language is exactly one of:

* **approved**: it will be published. How: `edited` (the reviewer changed its text), `emptied` (the reviewer
  emptied it: published empty), `marked OK` (an approval mark in its OK? column), `--approve-all`, or
  `from memory` (the run took an approved translation from the memory and nobody changed it);
* **error**: a check fails on the text that would be published, whoever approved it: `needs-glossary-review` (a
  glossary term changed or missing) or `check-error` (a number, an untranslated sentence, …). Not approved: fix it
  and import again;
* **draft**: nobody approved it (machine text, not edited, no OK mark). Not approved, not published;
* **verbatim**: copied from the English as it is (another language in the English); needs no approval.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from pipeline.review.approval import APPROVE_ALL, EDITED, MARKED, STATUS_COLUMN

APPROVED, ERROR, DRAFT, VERBATIM = "approved", "error", "draft", "verbatim"

# How an approved row was approved, as the reports write it (in this order).
BY_EDIT, BY_EMPTYING, BY_MARK, BY_APPROVE_ALL, BY_MEMORY = "edited", "emptied", "marked OK", "by --approve-all", "from memory"
APPROVED_HOW = (BY_EDIT, BY_EMPTYING, BY_MARK, BY_APPROVE_ALL, BY_MEMORY)
_BY_APPROVAL = {EDITED: BY_EDIT, MARKED: BY_MARK, APPROVE_ALL: BY_APPROVE_ALL}

# Why an error row is not approved.
NEEDS_GLOSSARY_REVIEW, CHECK_ERROR = "needs-glossary-review", "check-error"

IDS_SHOWN = 15  # rows listed by id, then "…"


@dataclass(frozen=True)
class RowStatus:
    status: str  # APPROVED, ERROR, DRAFT, VERBATIM
    detail: str = ""  # APPROVED: how (APPROVED_HOW); ERROR: NEEDS_GLOSSARY_REVIEW or CHECK_ERROR


def row_status(*, origin: str, approval: str | None, emptied: bool, glossary: bool, errors: bool) -> RowStatus:
    """Where one row stands. `origin`: the run's (machine, memory, verbatim); `approval`: approval.py's (edited,
    marked, approve-all, or None); `glossary`: a glossary term changed or missing; `errors`: a check error on the
    text that would be published."""
    if origin == VERBATIM:
        return RowStatus(VERBATIM)
    if glossary:
        return RowStatus(ERROR, NEEDS_GLOSSARY_REVIEW)
    if errors:
        return RowStatus(ERROR, CHECK_ERROR)
    if approval is not None:
        return RowStatus(APPROVED, BY_EMPTYING if emptied and approval == EDITED else _BY_APPROVAL.get(approval, BY_EDIT))
    if origin == "memory":
        return RowStatus(APPROVED, BY_MEMORY)
    return RowStatus(DRAFT)


# The run's flags that say a glossary term is missing from a row's text (translation/stage.py, qa/checks/terms.py).
GLOSSARY_FLAGS = frozenset({"glossary-missing", "glossary-changed", "memory-outdated", "term-missing"})


def run_row_status(origin: str, flags: Iterable[tuple[str, str | None]]) -> RowStatus:
    """Where a row of a fresh run stands (nobody has approved anything yet): `flags` are its (code, severity)."""
    flags = list(flags)
    return row_status(
        origin=origin,
        approval=None,
        emptied=False,
        glossary=any(code in GLOSSARY_FLAGS for code, _ in flags),
        errors=any(severity == "error" for _, severity in flags),
    )


@dataclass
class StatusCounts:
    """A language's rows by status: ids in row order."""

    approved: dict[str, list[str]] = field(default_factory=dict)  # how → ids
    errors: dict[str, list[str]] = field(default_factory=dict)  # NEEDS_GLOSSARY_REVIEW / CHECK_ERROR → ids
    drafts: list[str] = field(default_factory=list)
    verbatim: list[str] = field(default_factory=list)

    def add(self, row_id: str, status: RowStatus) -> None:
        if status.status == APPROVED:
            self.approved.setdefault(status.detail, []).append(row_id)
        elif status.status == ERROR:
            self.errors.setdefault(status.detail, []).append(row_id)
        elif status.status == DRAFT:
            self.drafts.append(row_id)
        else:
            self.verbatim.append(row_id)

    @property
    def approved_count(self) -> int:
        return sum(len(ids) for ids in self.approved.values())

    @property
    def not_approved(self) -> list[str]:
        """Error rows and drafts: every row that is not published as it stands."""
        return [i for ids in self.errors.values() for i in ids] + self.drafts

    def approved_text(self) -> str:
        """`9 approved (6 edited, 3 marked OK)`; the kinds in one order, only those with rows."""
        parts = [f"{len(self.approved[how])} {how}" for how in APPROVED_HOW if self.approved.get(how)]
        return f"{self.approved_count} approved" + (f" ({', '.join(parts)})" if parts else "")

    def not_approved_text(self) -> str:
        """`12 not approved (2 needs-glossary-review, 1 check-error, 9 draft)`: only the kinds with rows."""
        parts = [f"{len(self.errors[k])} {k}" for k in (NEEDS_GLOSSARY_REVIEW, CHECK_ERROR) if self.errors.get(k)]
        if self.drafts:
            parts.append(f"{len(self.drafts)} {DRAFT}")
        return f"{len(self.not_approved)} not approved" + (f" ({', '.join(parts)})" if parts else "")

    def line(self) -> str:
        """One line: approved, not approved (when any), verbatim (when any): the same words in run, import and
        publish, e.g. `9 approved (6 edited, 3 marked OK), 3 not approved (2 needs-glossary-review, 1 check-error)`."""
        parts = [self.approved_text()]
        if self.not_approved:
            parts.append(self.not_approved_text())
        if self.verbatim:
            parts.append(f"{len(self.verbatim)} {VERBATIM}")
        return ", ".join(parts)

    def advice_lines(self) -> list[str]:
        """What to do about the rows that are not approved, one line per kind, rows named."""
        lines = []
        glossary = self.errors.get(NEEDS_GLOSSARY_REVIEW) or []
        if glossary:
            lines.append(f"{len(glossary)} {NEEDS_GLOSSARY_REVIEW} ({shown(glossary)}): a glossary term changed or "
                         "missing; put the glossary's form back (or have the glossary changed) and import again")  # fmt: skip
        checked = self.errors.get(CHECK_ERROR) or []
        if checked:
            lines.append(f"{len(checked)} {CHECK_ERROR} ({shown(checked)}): a check finds an error in the text "
                         "(listed with the row); fix it and import again")  # fmt: skip
        if self.drafts:
            lines.append(f"{len(self.drafts)} {DRAFT} ({shown(self.drafts)}): "
                         f"nobody approved them (not published); type OK in their {STATUS_COLUMN} column (or edit "
                         "them) and import again, or import with --approve-all")  # fmt: skip
        return lines


def shown(ids: list[str]) -> str:
    return ", ".join(ids[:IDS_SHOWN]) + (" …" if len(ids) > IDS_SHOWN else "")


def count_rows(rows: Iterable[tuple[str, RowStatus]]) -> StatusCounts:
    """A language's rows, (id, status) each, counted by status."""
    counts = StatusCounts()
    for row_id, status in rows:
        counts.add(row_id, status)
    return counts
