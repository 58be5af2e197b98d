"""Webhook endpoints (staff's) and the outbox of deliveries to them (docs/webhooks.md).

An event is recorded as one ``Delivery`` row per subscribed endpoint, in the transaction of
the change that caused it (a rollback takes the rows with it); a task is hinted after the
commit (``config.jobs.dispatch``), and the periodic sweep sends whatever the hint missed. A
row is claimed for a lease by a conditional UPDATE, sent, and recorded; a failed attempt is
logged and retried with backoff; an endpoint failing for long is switched off and staff told.
"""

import logging
import time
import uuid
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from config.cache import remember, touch
from config.delivery import persist, retry_delay
from config.jobs import dispatch
from config.seeding import chunks
from forum.permissions.questions import questions_visible_to
from members.models import Member
from members.services import notification_send

from . import formats, payloads, signing, tasks, transport
from .models import Announcement, Attempt, Delivery, Endpoint, Event, new_secret
from .permissions import check_can_manage_webhooks

logger = logging.getLogger(__name__)

ENDPOINTS_SCOPE = "webhook-endpoints"
ENDPOINTS_KEY = "veche:webhook-endpoints"
BATCH = 100
USER_AGENT = "Veche-Webhooks/1"

Data = dict[str, Any]


# --- endpoints ------------------------------------------------------------------------------


def endpoint_url_check(url: str, *, allow_private: bool) -> None:
    """Refuse an address of this server or of a private network unless staff allowed it (it
    is checked again at every send: a name may resolve elsewhere later)."""
    try:
        transport.resolve(url, allow_private=allow_private)
    except transport.Refused as exc:
        raise ValidationError({"url": str(exc)}) from exc


def _endpoint_fields(
    *, url: str, format: str, chat_id: str, events: Iterable[str], allow_private: bool
) -> dict[str, Any]:
    events = [e for e in Event.values if e in set(events)]
    if not events:
        raise ValidationError({"events": _("Choose at least one event.")})
    if format == Endpoint.Format.TELEGRAM and not chat_id.strip():
        raise ValidationError({"chat_id": _("A Telegram bot needs the chat to post to.")})
    endpoint_url_check(url, allow_private=allow_private)
    return {
        "url": url,
        "format": format,
        "chat_id": chat_id.strip(),
        "events": events,
        "allow_private": allow_private,
    }


def endpoint_create(
    *,
    actor: Member,
    name: str,
    url: str,
    format: str = Endpoint.Format.JSON,
    chat_id: str = "",
    events: Iterable[str],
    allow_private: bool = False,
) -> Endpoint:
    check_can_manage_webhooks(actor)
    fields = _endpoint_fields(
        url=url, format=format, chat_id=chat_id, events=events, allow_private=allow_private
    )
    return Endpoint.objects.create(name=name.strip(), created_by=actor, **fields)


def endpoint_update(
    *,
    actor: Member,
    endpoint: Endpoint,
    name: str,
    url: str,
    format: str,
    chat_id: str,
    events: Iterable[str],
    allow_private: bool,
) -> Endpoint:
    check_can_manage_webhooks(actor)
    fields = _endpoint_fields(
        url=url, format=format, chat_id=chat_id, events=events, allow_private=allow_private
    )
    endpoint.name = name.strip()
    for key, value in fields.items():
        setattr(endpoint, key, value)
    endpoint.save()
    return endpoint


def endpoint_delete(*, actor: Member, endpoint: Endpoint) -> None:
    check_can_manage_webhooks(actor)
    endpoint.delete()


def endpoint_secret_rotate(*, actor: Member, endpoint: Endpoint) -> Endpoint:
    """A new secret signs from now on; the old one signs beside it for
    ``VECHE_WEBHOOK_ROTATION_HOURS``, for the receiver to switch over."""
    check_can_manage_webhooks(actor)
    endpoint.previous_secret = endpoint.secret
    endpoint.previous_secret_until = timezone.now() + timedelta(
        hours=settings.VECHE_WEBHOOK_ROTATION_HOURS
    )
    endpoint.secret = new_secret()
    endpoint.save(update_fields=["secret", "previous_secret", "previous_secret_until"])
    return endpoint


def endpoint_enable(*, actor: Member, endpoint: Endpoint) -> Endpoint:
    """Switch an endpoint on again; its waiting deliveries go out with the next sweep."""
    check_can_manage_webhooks(actor)
    endpoint.is_active = True
    endpoint.consecutive_failures = 0
    endpoint.failing_since = endpoint.disabled_at = None
    endpoint.disabled_reason = ""
    endpoint.save()
    _hint(Delivery.objects.filter(endpoint=endpoint, sent_at__isnull=True, failed_at=None))
    return endpoint


def endpoint_disable(*, actor: Member, endpoint: Endpoint) -> Endpoint:
    check_can_manage_webhooks(actor)
    endpoint.is_active = False
    endpoint.disabled_at = timezone.now()
    endpoint.disabled_reason = _("Switched off by %(name)s.") % {"name": actor.name}
    endpoint.save()
    return endpoint


def endpoint_ping(*, actor: Member, endpoint: Endpoint) -> Delivery:
    """Send a test event to one endpoint (even one not subscribed to anything else)."""
    check_can_manage_webhooks(actor)
    with transaction.atomic():
        (delivery,) = _record(Event.PING, {}, [endpoint])
    return delivery


# --- recording events -----------------------------------------------------------------------


def _active_endpoints() -> list[dict[str, Any]]:
    def load() -> list[dict[str, Any]]:
        rows = Endpoint.objects.filter(is_active=True).values("id", "events", "format", "chat_id")
        return [dict(row) for row in rows]

    return remember(ENDPOINTS_KEY, [ENDPOINTS_SCOPE], load, 300)


def event_record(event: str, build: Callable[..., Data], *args: Any) -> list[Delivery]:
    """Record ``event`` with the data ``build(*args)`` makes (``webhooks.payloads``) for every
    active endpoint subscribed to it; nothing is built when nobody listens. Called in the
    transaction of the change: the rows commit with it, the send is hinted after."""
    endpoints = [
        Endpoint(pk=e["id"], format=e["format"], chat_id=e["chat_id"])
        for e in _active_endpoints()
        if event in e["events"]
    ]
    if not endpoints:
        return []
    return _record(event, build(*args), endpoints)


def _record(event: str, data: Data, endpoints: list[Endpoint]) -> list[Delivery]:
    now = timezone.now()
    envelope = {
        "id": str(uuid.uuid4()),
        "event": event,
        "created_at": now.isoformat(),
        "data": data,
    }
    rows = [
        Delivery(endpoint_id=e.pk, event=event, body=formats.body(e, envelope), created_at=now)
        for e in endpoints
    ]
    created = Delivery.objects.bulk_create(rows)
    if any(d.pk is None for d in created):  # backends without RETURNING ids on bulk insert
        ids = dict(
            Delivery.objects.filter(delivery_id__in=[d.delivery_id for d in created]).values_list(
                "delivery_id", "id"
            )
        )
        for delivery in created:
            delivery.pk = ids[delivery.delivery_id]
    _hint_ids([d.pk for d in created])
    return created


def delivery_redeliver(*, actor: Member, delivery: Delivery) -> Delivery:
    """Send a delivery's body again, as a new delivery (a new X-Veche-Delivery id: a receiver
    that deduplicates by delivery would otherwise drop it; the event's own id is unchanged)."""
    check_can_manage_webhooks(actor)
    with transaction.atomic():
        copy = Delivery.objects.create(
            endpoint_id=delivery.endpoint_id,
            event=delivery.event,
            body=delivery.body,
            redelivery_of=delivery,
        )
        _hint_ids([copy.pk])
    return copy


def _hint(rows: QuerySet[Delivery]) -> None:
    _hint_ids(list(rows.values_list("pk", flat=True)))


def _hint_ids(ids: list[int]) -> None:
    for batch in chunks(ids, BATCH):
        dispatch(tasks.delivery_send_task, batch)


def unanswered_questions_announce(*, now: datetime | None = None) -> int:
    """Announce ``question.unanswered`` for each question (as visitors see them) still without
    an answer ``VECHE_WEBHOOK_UNANSWERED_HOURS`` after it was asked, once per question; only
    questions of the week before that, so a new endpoint does not hear of the whole backlog.
    Nothing is marked while no endpoint listens."""
    if not any(Event.QUESTION_UNANSWERED in e["events"] for e in _active_endpoints()):
        return 0
    now = now or timezone.now()
    hours = settings.VECHE_WEBHOOK_UNANSWERED_HOURS
    cutoff = now - timedelta(hours=hours)
    announced = Announcement.objects.filter(event=Event.QUESTION_UNANSWERED).values("object_id")
    questions = (
        questions_visible_to(AnonymousUser())
        .filter(
            answer_count=0,
            closed_at=None,
            created_at__lt=cutoff,
            created_at__gte=cutoff - timedelta(days=7),
        )
        .exclude(pk__in=announced)
        .select_related("author", "category")
        .order_by("created_at", "id")[:200]
    )
    count = 0
    for question in questions:
        with transaction.atomic():
            _, created = Announcement.objects.get_or_create(
                event=Event.QUESTION_UNANSWERED, object_id=question.pk
            )
            if created:
                event_record(
                    Event.QUESTION_UNANSWERED, payloads.question_unanswered, question, hours
                )
                count += 1
    return count


def delivery_prune(*, now: datetime | None = None) -> int:
    """Forget deliveries sent or given up more than ``VECHE_WEBHOOK_KEEP_DAYS`` ago (their
    attempts with them), and the unanswered sweep's memory once past its window. Returns
    how many deliveries went."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.VECHE_WEBHOOK_KEEP_DAYS)
    old = Delivery.objects.filter(Q(sent_at__lt=cutoff) | Q(failed_at__lt=cutoff))
    count = 0
    for batch in chunks(list(old.values_list("pk", flat=True)), 1000):
        _total, per_model = Delivery.objects.filter(pk__in=batch).delete()  # attempts too
        count += per_model.get(Delivery._meta.label, 0)
    window = timedelta(days=8, hours=settings.VECHE_WEBHOOK_UNANSWERED_HOURS)
    Announcement.objects.filter(at__lt=now - window).delete()
    return count


# --- sending --------------------------------------------------------------------------------


def _due(now: datetime, ids: Iterable[int] | None = None) -> QuerySet[Delivery]:
    lease = timedelta(seconds=settings.VECHE_WEBHOOK_LEASE_SECONDS)
    due = (
        Delivery.objects.filter(sent_at=None, failed_at=None, endpoint__is_active=True)
        .filter(Q(claimed_at=None) | Q(claimed_at__lt=now - lease))
        .filter(Q(retry_at=None) | Q(retry_at__lte=now))
    )
    return due if ids is None else due.filter(pk__in=list(ids))


def delivery_send(*, ids: Iterable[int] | None = None, deadline: float | None = None) -> int:
    """Send the due deliveries among ``ids`` (or a batch of any due ones) until ``deadline``
    (``time.monotonic()``); returns how many were taken (2xx)."""
    sent, _seen = _send_batch(ids=ids, deadline=deadline, tried=set())
    return sent


def delivery_sweep(*, budget: float | None = None) -> int:
    """Everything due, batch after batch, for at most ``budget`` seconds (three sweep
    periods by default). A row is tried once per sweep: one that fails waits at least for
    the next sweep, whatever its backoff says."""
    if budget is None:
        budget = max(5, settings.VECHE_WEBHOOK_SWEEP_SECONDS * 3)
    deadline = time.monotonic() + budget
    tried: set[int] = set()
    total = 0
    while time.monotonic() < deadline:
        sent, seen = _send_batch(ids=None, deadline=deadline, tried=tried)
        total += sent
        if not seen:
            break
    return total


def _send_batch(
    *, ids: Iterable[int] | None, deadline: float | None, tried: set[int]
) -> tuple[int, int]:
    due = _due(timezone.now(), ids).exclude(pk__in=tried).select_related("endpoint")
    rows = list(due.order_by("id")[:BATCH])
    sent = 0
    for row in rows:
        if deadline is not None and time.monotonic() >= deadline:
            break
        tried.add(row.pk)
        if _claim(row):
            sent += _attempt(row)
    return sent, len(rows)


def _claim(row: Delivery) -> bool:
    now = timezone.now()
    claimed = _due(now, [row.pk]).update(claimed_at=now, attempts=F("attempts") + 1)
    if claimed:
        row.claimed_at, row.attempts = now, row.attempts + 1
    return bool(claimed)


def _secrets(endpoint: Endpoint, now: datetime) -> list[str]:
    valid = endpoint.previous_secret_until and endpoint.previous_secret_until > now
    return [endpoint.secret, *([endpoint.previous_secret] if valid else [])]


def _attempt(row: Delivery) -> int:
    endpoint = row.endpoint
    now = timezone.now()
    body = row.body.encode()
    timestamp = int(time.time())
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "X-Veche-Event": row.event,
        "X-Veche-Delivery": str(row.delivery_id),
        signing.HEADER: signing.header(_secrets(endpoint, now), timestamp, body),
    }
    status, error, excerpt = None, "", ""
    started = time.monotonic()
    try:
        response = transport.post(endpoint.url, body, headers, allow_private=endpoint.allow_private)
    except transport.Refused as exc:
        error = str(exc)
    except OSError as exc:
        error = str(exc) or type(exc).__name__
    else:
        status, excerpt = response.status, response.excerpt
        if not 200 <= status < 300:
            error = _("The receiver answered %(status)s.") % {"status": status}
    duration = int((time.monotonic() - started) * 1000)
    Attempt.objects.create(
        delivery=row,
        at=now,
        status_code=status,
        duration_ms=duration,
        error=error[:500],
        response_excerpt=excerpt[:500],
    )
    if not error:
        persist(lambda: _record_sent(row, status))
        return 1
    _record_failure(row, endpoint, status=status, error=error)
    return 0


def _record_sent(row: Delivery, status: int | None) -> None:
    now = timezone.now()
    Delivery.objects.filter(pk=row.pk, sent_at=None).update(
        sent_at=now, claimed_at=None, retry_at=None, last_status=status, last_error=""
    )
    Endpoint.objects.filter(pk=row.endpoint_id).exclude(consecutive_failures=0).update(
        consecutive_failures=0, failing_since=None
    )


def _record_failure(row: Delivery, endpoint: Endpoint, *, status: int | None, error: str) -> None:
    now = timezone.now()
    logger.warning("Webhook delivery %s to endpoint %s failed: %s", row.pk, endpoint.pk, error)
    gave_up = row.attempts >= settings.VECHE_WEBHOOK_MAX_ATTEMPTS
    delay = retry_delay(
        row.attempts,
        base=settings.VECHE_WEBHOOK_RETRY_BASE_SECONDS,
        cap=settings.VECHE_WEBHOOK_RETRY_MAX_SECONDS,
    )
    Delivery.objects.filter(pk=row.pk).update(
        claimed_at=None,
        retry_at=now + delay,
        last_error=error[:2000],
        last_status=status,
        failed_at=now if gave_up else None,
    )
    Endpoint.objects.filter(pk=endpoint.pk).update(
        consecutive_failures=F("consecutive_failures") + 1,
        failing_since=Coalesce(F("failing_since"), now),
    )
    _disable_if_failing(endpoint, now)


def _disable_if_failing(endpoint: Endpoint, now: datetime) -> None:
    """Switch off an endpoint whose attempts failed ``VECHE_WEBHOOK_DISABLE_AFTER_FAILURES``
    times in a row over at least ``VECHE_WEBHOOK_DISABLE_AFTER_HOURS``, and tell staff."""
    hours = timedelta(hours=settings.VECHE_WEBHOOK_DISABLE_AFTER_HOURS)
    reason = _("Every attempt failed since %(since)s.")
    switched = Endpoint.objects.filter(
        pk=endpoint.pk,
        is_active=True,
        consecutive_failures__gte=settings.VECHE_WEBHOOK_DISABLE_AFTER_FAILURES,
        failing_since__lte=now - hours,
    ).update(is_active=False, disabled_at=now)
    if not switched:
        return
    endpoint.refresh_from_db()
    since = timezone.localtime(endpoint.failing_since or now).strftime("%Y-%m-%d %H:%M")
    Endpoint.objects.filter(pk=endpoint.pk).update(disabled_reason=reason % {"since": since})
    touch(ENDPOINTS_SCOPE)
    notification_send(
        recipients=Member.objects.filter(is_staff=True, is_active=True),
        kind="webhook_disabled",
        params={"name": endpoint.name},
        url=reverse("webhooks:endpoint-detail", kwargs={"pk": endpoint.pk}),
        target=endpoint,
    )
