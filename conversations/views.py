"""Private messages' pages: the inbox, a new conversation, a conversation with its answer
form, archive, blocks and settings. Every page is for signed-in members; a conversation the
viewer may not open is a 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from members.http import AuthenticatedHttpRequest
from moderation.services import refusal_reason

from . import permissions as perms
from . import selectors, services
from .forms import ConversationForm, MessageSettingsForm, ReplyForm
from .models import Participant

INBOX_PER_PAGE = 30
MESSAGES_PER_PAGE = 50


@login_required
@require_safe
def inbox_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    archived = request.GET.get("archived") == "1"
    page = Paginator(selectors.inbox_for(request.user, archived=archived), INBOX_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "conversations/inbox.html",
        {"page_obj": page, "seats": page.object_list, "archived": archived},
    )


@login_required
def new_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    refusal = None
    try:
        perms.check_can_start(request.user)
    except PermissionDenied as exc:
        refusal = refusal_reason(exc)
    initial = {"to": request.GET.get("to", "")[:150]}
    form = ConversationForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        status = 400
        if refusal is None and form.is_valid():
            try:
                conversation = services.conversation_start(
                    actor=request.user,
                    recipients=form.cleaned_data["to"],
                    subject=form.cleaned_data["subject"],
                    body=form.cleaned_data["body"],
                )
            except (PermissionDenied, ValidationError) as exc:
                form.add_error(None, _reason(exc))
            else:
                return redirect(conversation.get_absolute_url())
        elif refusal is not None:
            status = 403
    return render(
        request,
        "conversations/new.html",
        {"form": form, "refusal": refusal, "max_recipients": perms.max_recipients(request.user)},
        status=status,
    )


def _reason(exc: PermissionDenied | ValidationError) -> str:
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    return refusal_reason(exc)


def _conversation_page(
    request: AuthenticatedHttpRequest, pk: int, form: ReplyForm | None, status: int = 200
) -> HttpResponse:
    view = selectors.conversation_for(request.user, pk)
    conversation = view.conversation
    if view.participant is not None:
        services.conversation_read(member=request.user, participant=view.participant)
        refusal = perms.reply_refusal(request.user, conversation, view.participants)
    else:
        services.conversation_staff_open(actor=request.user, conversation=conversation)
        refusal = None
    paginator = Paginator(selectors.messages_of(conversation), MESSAGES_PER_PAGE)
    page = paginator.get_page(request.GET.get("page") or paginator.num_pages)
    return render(
        request,
        "conversations/conversation.html",
        {
            "view": view,
            "conversation": conversation,
            "page_obj": page,
            "chat": page.object_list,
            "form": form if form is not None else ReplyForm(),
            "refusal": refusal,
        },
        status=status,
    )


@login_required
@require_safe
def conversation_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _conversation_page(request, pk, None)


@login_required
@require_POST
def reply_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    view = selectors.conversation_for(request.user, pk)
    if view.participant is None:
        raise Http404  # a moderator reads a flagged conversation; they do not write in it
    form = ReplyForm(request.POST)
    if form.is_valid():
        try:
            message = services.message_send(
                actor=request.user,
                conversation=view.conversation,
                body=form.cleaned_data["body"],
                participants=view.participants,
            )
        except (PermissionDenied, ValidationError) as exc:
            form.add_error(None, _reason(exc))
        else:
            if request.htmx:
                return render(
                    request,
                    "conversations/_reply_done.html",
                    {"message": message, "form": ReplyForm(), "conversation": view.conversation},
                )
            return redirect(message.get_absolute_url())
    if request.htmx:  # htmx swaps only a 2xx answer: the form comes back with its errors
        return render(
            request,
            "conversations/_reply_form.html",
            {"form": form, "conversation": view.conversation},
        )
    return _conversation_page(request, pk, form, status=400)


def _seat(request: AuthenticatedHttpRequest, pk: int) -> Participant:
    view = selectors.conversation_for(request.user, pk)
    if view.participant is None:
        raise Http404
    return view.participant


@login_required
@require_POST
def archive_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    services.conversation_archive(member=request.user, participant=_seat(request, pk))
    messages.success(request, _("The conversation is archived. A new message brings it back."))
    return redirect("conversations:inbox")


@login_required
@require_POST
def unarchive_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    services.conversation_unarchive(member=request.user, participant=_seat(request, pk))
    messages.success(request, _("The conversation is back in your inbox."))
    return redirect("conversations:conversation", pk=pk)


@login_required
def block_view(request: AuthenticatedHttpRequest, username: str) -> HttpResponse:
    """Block or unblock a member (linked from their profile): the page says which applies."""
    other = selectors.member_by_username(username)
    if other.pk == request.user.pk:
        raise Http404
    blocked = selectors.is_blocked_by(request.user, other)
    if request.method == "POST":
        try:
            if request.POST.get("action") == "unblock":
                services.block_remove(blocker=request.user, blocked=other)
                messages.success(
                    request, _("%(name)s can write to you again.") % {"name": other.name}
                )
            else:
                services.block_add(blocker=request.user, blocked=other)
                messages.success(
                    request, _("%(name)s can no longer write to you.") % {"name": other.name}
                )
        except PermissionDenied as exc:
            messages.error(request, refusal_reason(exc))
        return redirect("conversations:block", username=other.username)
    return render(
        request,
        "conversations/block.html",
        {"other": other, "blocked": blocked, "blockable": not perms.is_team(other)},
    )


@login_required
def settings_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = MessageSettingsForm(
        request.POST or None, initial={"accept_from": selectors.accept_from_of(request.user)}
    )
    if request.method == "POST":
        if form.is_valid():
            services.message_settings_update(
                member=request.user, accept_from=form.cleaned_data["accept_from"]
            )
            messages.success(request, _("Your message settings are saved."))
            return redirect("conversations:settings")
    blocks = selectors.blocks_of(request.user)
    return render(
        request,
        "conversations/settings.html",
        {"form": form, "blocks": blocks, "inbox_url": reverse("conversations:inbox")},
        status=400 if form.errors else 200,
    )
