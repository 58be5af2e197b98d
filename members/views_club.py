"""Club mode pages: staff's community settings (private mode, application questions, direct
invitations), the invitation link, and the page an applicant sees while they wait."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from . import selectors, services
from .forms import CommunitySettingsForm, MembershipInvitationForm
from .http import AuthenticatedHttpRequest
from .models import MembershipApplication, MembershipInvitation
from .permissions import check_is_staff
from .services_club import (
    APPLICANT_SESSION_KEY,
    INVITATION_SESSION_KEY,
    membership_invitation_create,
)


def _settings_page(
    request: AuthenticatedHttpRequest,
    *,
    form: CommunitySettingsForm | None = None,
    invite_form: MembershipInvitationForm | None = None,
) -> HttpResponse:
    context = {
        "form": form or CommunitySettingsForm(instance=selectors.community_settings_for_edit()),
        "invite_form": invite_form or MembershipInvitationForm(),
        "invitations": selectors.membership_invitation_list_recent(),
        "pending": selectors.membership_application_count_pending(),
    }
    status = 400 if form or invite_form else 200
    return render(request, "members/community_settings.html", context, status=status)


@login_required
def community_settings_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    check_is_staff(request.user)
    if request.method != "POST":
        return _settings_page(request)
    form = CommunitySettingsForm(request.POST, instance=selectors.community_settings_for_edit())
    if not form.is_valid():
        return _settings_page(request, form=form)
    services.community_settings_update(actor=request.user, settings=form.save(commit=False))
    messages.success(request, _("The community settings are saved."))
    return redirect("members:community-settings")


@login_required
@require_POST
def membership_invite_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    check_is_staff(request.user)
    form = MembershipInvitationForm(request.POST)
    if form.is_valid():
        try:
            invitation = membership_invitation_create(
                actor=request.user, email=form.cleaned_data["email"]
            )
        except ValidationError as exc:
            form.add_error("email", exc)
        else:
            messages.success(
                request,
                _("An invitation is on its way to %(email)s.") % {"email": invitation.email},
            )
            return redirect("members:community-settings")
    return _settings_page(request, invite_form=form)


@require_safe
def membership_join_view(request: HttpRequest, token: str) -> HttpResponse:
    """The link of a staff invitation: remember it for the sign-up form, which then asks no
    application questions and lets the new member in at once."""
    try:
        invitation = selectors.membership_invitation_get_open(token)
    except MembershipInvitation.DoesNotExist:
        raise Http404(_("This invitation was already used or does not exist.")) from None
    request.session[INVITATION_SESSION_KEY] = invitation.token
    return redirect(reverse("account_signup"))


@require_safe
def membership_application_view(request: HttpRequest) -> HttpResponse:
    """What an applicant sees after signing up, and whenever they try to log in before a
    decision: their application is waiting (or was declined)."""
    application = None
    member_id = request.session.get(APPLICANT_SESSION_KEY)
    if member_id:
        try:
            application = selectors.membership_application_get(int(member_id))
        except (MembershipApplication.DoesNotExist, TypeError, ValueError):
            application = None
    return render(request, "members/membership_application.html", {"application": application})
