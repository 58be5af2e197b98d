"""Line differences between two document versions, shaped for an accessible table."""

import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from .models import Rule


class _Rules(Protocol):
    def all(self) -> Iterable[Rule]: ...


class VersionText(Protocol):
    """What is compared: a DocumentVersion, or anything with a body and rules (the forum
    compares post revisions, which have no rules)."""

    @property
    def body(self) -> str: ...

    @property
    def rules(self) -> _Rules: ...


@dataclass
class DiffRow:
    kind: str  # "same", "changed", "added", "removed"
    old_no: int | None
    old: str
    new_no: int | None
    new: str


def version_lines(version: VersionText) -> list[str]:
    lines = [line for line in version.body.splitlines() if line.strip()]
    for rule in version.rules.all():
        lines.append(f"{rule.number}. {rule.title}")
        lines.extend(line for line in rule.explanation.splitlines() if line.strip())
    return lines


def version_diff(old: VersionText, new: VersionText) -> list[DiffRow]:
    a, b = version_lines(old), version_lines(new)
    rows: list[DiffRow] = []
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            for k in range(i2 - i1):
                rows.append(DiffRow("same", i1 + k + 1, a[i1 + k], j1 + k + 1, b[j1 + k]))
        elif tag == "replace":
            for k in range(max(i2 - i1, j2 - j1)):
                old_i, new_j = i1 + k, j1 + k
                has_old, has_new = old_i < i2, new_j < j2
                kind = "changed" if has_old and has_new else ("removed" if has_old else "added")
                rows.append(
                    DiffRow(
                        kind,
                        old_i + 1 if has_old else None,
                        a[old_i] if has_old else "",
                        new_j + 1 if has_new else None,
                        b[new_j] if has_new else "",
                    )
                )
        elif tag == "delete":
            for k in range(i1, i2):
                rows.append(DiffRow("removed", k + 1, a[k], None, ""))
        elif tag == "insert":
            for k in range(j1, j2):
                rows.append(DiffRow("added", None, "", k + 1, b[k]))
    return rows


def text_diff_lines(before: str, after: str) -> list[tuple[str, str]]:
    """``(mark, line)`` for each line of an ``ndiff`` of two texts: mark ``" "`` same,
    ``"-"`` removed, ``"+"`` added (the intraline ``?`` hints are left out). For revision
    histories, which show a post's edits in order."""
    return [
        (line[:1], line[2:])
        for line in difflib.ndiff(before.splitlines(), after.splitlines())
        if not line.startswith("?")
    ]
