from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from members.http import AuthenticatedHttpRequest
from members.models import Member
from moderation.models import QueueItem

from . import selectors, services
from .cookies import attribution_cookie_set
from .forms import (
    ApplicationForm,
    DecisionForm,
    InvitationForm,
    PerkCodesForm,
    PerkGrantForm,
    PerkRevokeForm,
    RevokeForm,
)
from .models import Perk, PerkGrant
from .permissions import (
    can_apply_ambassador,
    can_manage_ambassadors,
    can_send_invitations,
    check_can_manage_ambassadors,
)


def staff_member_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Signed-in staff only: visitors are sent to log in, members get a 403 page."""

    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        check_can_manage_ambassadors(request.user)
        return view(request, *args, **kwargs)

    return wrapped


def _program_render(
    request: HttpRequest,
    *,
    invite_form: InvitationForm | None = None,
    application_form: ApplicationForm | None = None,
    status: int = 200,
) -> HttpResponse:
    advocate, ambassador = services.tier_thresholds()
    context = {
        "tier_advocate": advocate,
        "window_days": settings.VECHE_REFERRAL_WINDOW_DAYS,
        "tier_ambassador": ambassador,
        "perks": list(selectors.perk_list_active()),
        "is_staff": can_manage_ambassadors(request.user),
    }
    if request.user.is_authenticated:
        member = request.user
        code = services.referral_code_ensure(member=member)
        dashboard = selectors.dashboard_get(member, code)
        qualified = dashboard.stats.qualified
        next_tier = advocate if qualified < advocate else ambassador
        pending = bool(dashboard.application and dashboard.application.status == "pending")
        context.update(
            dashboard=dashboard,
            referral_url=request.build_absolute_uri(
                reverse("ambassadors:referral-link", kwargs={"code": code.code})
            ),
            next_tier=next_tier if qualified < ambassador else None,
            progress=min(100, int(100 * qualified / next_tier)) if next_tier else 100,
            can_apply=can_apply_ambassador(member, qualified=qualified, has_pending=pending),
            can_send_invitations=can_send_invitations(member),
            invite_form=invite_form or InvitationForm(),
            application_form=application_form or ApplicationForm(),
        )
    return render(request, "ambassadors/program.html", context, status=status)


def program_view(request: HttpRequest) -> HttpResponse:
    return _program_render(request)


def leaderboard_view(request: HttpRequest) -> HttpResponse:
    return render(request, "ambassadors/leaderboard.html", {"rows": selectors.leaderboard_list()})


def referral_link_view(request: HttpRequest, code: str) -> HttpResponse:
    referrer = selectors.referrer_get_by_code(code)
    if referrer is None:
        raise Http404(_("This referral link is not valid."))
    services.referral_click_record(request=request, referrer=referrer)
    response = redirect("account_signup")
    if not request.user.is_authenticated:
        attribution_cookie_set(response, referrer_id=referrer.pk)
    return response


def invitation_link_view(request: HttpRequest, token: str) -> HttpResponse:
    invitation = selectors.invitation_get_by_token(token)
    if invitation is None:
        raise Http404(_("This invitation is not valid."))
    if invitation.is_expired or invitation.status != invitation.Status.SENT:
        return render(
            request, "ambassadors/invitation_gone.html", {"invitation": invitation}, status=410
        )
    services.referral_click_record(request=request, referrer=invitation.inviter)
    response = redirect("account_signup")
    if not request.user.is_authenticated:
        attribution_cookie_set(
            response, referrer_id=invitation.inviter_id, invitation_id=invitation.pk
        )
    return response


@login_required
@require_POST
def invitation_create_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = InvitationForm(request.POST)
    if form.is_valid():
        try:
            services.invitation_send(
                inviter=request.user,
                email=form.cleaned_data["email"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your invitation is on its way."))
            return redirect("ambassadors:program")
    return _program_render(request, invite_form=form, status=400)


@login_required
@require_POST
def code_regenerate_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    services.referral_code_regenerate(member=request.user)
    messages.success(request, _("You have a new referral link. The old one no longer works."))
    return redirect("ambassadors:program")


@login_required
@require_POST
def application_create_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = ApplicationForm(request.POST)
    if not form.is_valid():
        return _program_render(request, application_form=form, status=400)
    application = services.ambassador_application_submit(
        member=request.user, motivation=form.cleaned_data["motivation"]
    )
    if application.status == application.Status.APPROVED:
        messages.success(request, _("Welcome, Ambassador!"))
    else:
        messages.success(request, _("Thank you! Staff will review your application."))
    return redirect("ambassadors:program")


@staff_member_required
def staff_review_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(
        request,
        "ambassadors/staff_review.html",
        {
            "suspicious": selectors.review_queue_items(services.SUSPICIOUS_QUEUE),
            "applications": selectors.review_queue_items(services.APPLICATIONS_QUEUE),
            "ambassadors": list(selectors.ambassador_list()),
        },
    )


@staff_member_required
@require_POST
def staff_decide_view(request: AuthenticatedHttpRequest, item_id: int) -> HttpResponse:
    try:
        item = selectors.program_queue_item_get(item_id)
    except QueueItem.DoesNotExist:
        raise Http404 from None
    form = DecisionForm(request.POST)
    if not form.is_valid():
        return HttpResponse(_("Choose approve or reject."), status=400)
    services.program_queue_item_decide(
        actor=request.user,
        item=item,
        approve=form.cleaned_data["decision"] == "approve",
        message=form.cleaned_data["message"],
    )
    messages.success(request, _("Decision saved."))
    return redirect("ambassadors:staff-review")


@staff_member_required
@require_POST
def ambassador_revoke_view(request: AuthenticatedHttpRequest, member_id: int) -> HttpResponse:
    member = get_object_or_404(Member, pk=member_id, badge=Member.Badge.AMBASSADOR)
    form = RevokeForm(request.POST)
    if not form.is_valid():
        return HttpResponse(_("Please give a reason."), status=400)
    services.ambassador_revoke(
        actor=request.user, member=member, reason=form.cleaned_data["reason"]
    )
    messages.success(request, _("The ambassador status was revoked."))
    return redirect("ambassadors:staff-review")


# --- perks --------------------------------------------------------------------------------


@login_required
def my_perks_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(
        request,
        "ambassadors/my_perks.html",
        {"grants": selectors.perk_grants_of_member(request.user)},
    )


@staff_member_required
def staff_perks_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(
        request, "ambassadors/staff_perks.html", {"perks": list(selectors.perk_list_staff())}
    )


def _perk(pk: int) -> Perk:
    try:
        return selectors.perk_get_staff(pk)
    except Perk.DoesNotExist:
        raise Http404 from None


def _perk_page(
    request: AuthenticatedHttpRequest,
    perk: Perk,
    *,
    grant_form: PerkGrantForm | None = None,
    codes_form: PerkCodesForm | None = None,
) -> HttpResponse:
    context = {
        "perk": perk,
        "grants": selectors.perk_grant_list(perk),
        "grant_form": grant_form or PerkGrantForm(),
        "codes_form": codes_form or PerkCodesForm(),
        "revoke_form": PerkRevokeForm(),
    }
    status = 400 if grant_form or codes_form else 200
    return render(request, "ambassadors/staff_perk.html", context, status=status)


@staff_member_required
def staff_perk_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _perk_page(request, _perk(pk))


@staff_member_required
@require_POST
def staff_perk_grant_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    perk = _perk(pk)
    form = PerkGrantForm(request.POST)
    if form.is_valid():
        member = selectors.member_find_by_username(form.cleaned_data["username"])
        if member is None:
            form.add_error("username", _("No member has this username."))
        else:
            try:
                services.perk_grant(actor=request.user, perk=perk, member=member)
            except ValidationError as exc:
                form.add_error("username", exc)
            else:
                messages.success(request, _("The perk is granted and the member told."))
                return redirect("ambassadors:staff-perk", pk=perk.pk)
    return _perk_page(request, perk, grant_form=form)


@staff_member_required
@require_POST
def staff_perk_grant_tier_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    perk = _perk(pk)
    try:
        granted, missed = services.perk_grant_tier(actor=request.user, perk=perk)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("Granted to %(granted)s members; %(missed)s still wait for codes.")
            % {"granted": granted, "missed": missed},
        )
    return redirect("ambassadors:staff-perk", pk=perk.pk)


@staff_member_required
@require_POST
def staff_perk_codes_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    perk = _perk(pk)
    form = PerkCodesForm(request.POST)
    if form.is_valid():
        try:
            added = services.perk_codes_add(
                actor=request.user, perk=perk, codes=form.cleaned_data["codes"]
            )
        except ValidationError as exc:
            form.add_error("codes", exc)
        else:
            messages.success(request, _("%(count)s codes added.") % {"count": added})
            return redirect("ambassadors:staff-perk", pk=perk.pk)
    return _perk_page(request, perk, codes_form=form)


@staff_member_required
@require_POST
def staff_perk_revoke_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    try:
        grant = selectors.perk_grant_get(pk)
    except PerkGrant.DoesNotExist:
        raise Http404 from None
    form = PerkRevokeForm(request.POST)
    if not form.is_valid():
        return HttpResponse(_("The reason is too long."), status=400)
    if services.perk_revoke(actor=request.user, grant=grant, reason=form.cleaned_data["reason"]):
        messages.success(request, _("The perk was taken back."))
    else:
        messages.error(request, _("This perk was already taken back."))
    return redirect("ambassadors:staff-perk", pk=grant.perk_id)
