"""What the fault script counts once the load has stopped: outbox rows due and their
Message-IDs in the file backend's output, the load's writes found in PostgreSQL, and the
transactions the replica served."""

import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

import psycopg

from ops import cluster

_MESSAGE_ID = re.compile(r"^Message-ID:\s*(\S+)", re.I | re.M)


def query(sql: str, params: tuple[Any, ...] = (), port: int = cluster.PRIMARY[1]) -> list[Any]:
    with psycopg.connect(
        f"{cluster.database_url(port)}?connect_timeout=3", autocommit=True
    ) as conn:
        return list(conn.execute(sql, params).fetchall())


def outbox_max_id() -> int:
    return int(query("SELECT coalesce(max(id), 0) FROM members_outboundemail")[0][0])


def outbox_rows(first: int, last: int) -> list[tuple[int, str | None, bool]]:
    """(id, Message-ID, marked sent) of the outbox rows in (first, last]. The Message-ID is
    the stored column when the outbox has one, else a Message-ID header kept with the row."""
    has_column = query(
        "SELECT 1 FROM information_schema.columns "
        "WHERE table_name = 'members_outboundemail' AND column_name = 'message_id'"
    )
    message_id = "message_id" if has_column else "headers->>'Message-ID'"
    return [
        (row[0], row[1], row[2])
        for row in query(
            f"SELECT id, {message_id}, sent_at IS NOT NULL FROM members_outboundemail "
            "WHERE id > %s AND id <= %s ORDER BY id",
            (first, last),
        )
    ]


def mail_message_ids() -> Counter[str]:
    """How many times each Message-ID was written by the file backend (every message,
    however many files)."""
    found: Counter[str] = Counter()
    for path in (cluster.DIR / "mail").glob("*"):
        found.update(_MESSAGE_ID.findall(path.read_text(errors="replace")))
    return found


@dataclass
class Mail:
    due: int = 0
    sent: int = 0
    duplicated: int = 0
    marked_sent: int = 0  # the outbox's own view (sent_at), for when no Message-ID is stored
    without_id: int = 0
    drain_s: float | None = None  # from the repair until every due e-mail was sent

    def all_sent(self) -> bool:
        return self.without_id == 0 and self.sent == self.due


def mail_state(first: int, last: int) -> Mail:
    rows = outbox_rows(first, last)
    written = mail_message_ids()
    ids = [mid for _pk, mid, _marked in rows if mid]
    return Mail(
        due=len(rows),
        sent=sum(1 for mid in ids if written[mid] > 0),
        duplicated=sum(written[mid] - 1 for mid in ids if written[mid] > 1),
        marked_sent=sum(1 for *_rest, marked in rows if marked),
        without_id=len(rows) - len(ids),
    )


def stored_tokens(prefix: str) -> dict[str, set[str]]:
    pattern = f"Fault check {prefix}%"
    token = re.compile(re.escape(prefix) + r"\d+")
    found: dict[str, set[str]] = {}
    for kind, table in (("answer", "forum_answer"), ("comment", "forum_comment")):
        rows = query(f"SELECT body FROM {table} WHERE body LIKE %s", (pattern,))
        found[kind] = {m for (body,) in rows for m in token.findall(body)}
    return found


def stored_votes(members: set[int]) -> set[tuple[int, int]]:
    rows = query(
        "SELECT member_id, answer_id FROM forum_answervote WHERE value = 1 AND member_id = ANY(%s)",
        (list(members),),
    )
    return {(m, a) for m, a in rows}


def replica_transactions() -> int | None:
    try:
        rows = query(
            "SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = %s",
            (cluster.DB_NAME,),
            port=cluster.REPLICA[1],
        )
    except psycopg.Error:
        return None
    return int(rows[0][0]) if rows else None
