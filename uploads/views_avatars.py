"""The member's picture: the page to change it, and serving it (uploads.services_avatars)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from members.http import AuthenticatedHttpRequest

from .forms import AvatarForm
from .services import storage
from .services_avatars import AVATAR_SIDES, Refused, avatar_path, avatar_remove, avatar_upload
from .views import UPLOAD_CSP


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def avatar_edit_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = AvatarForm()
    status = 200
    if request.method == "POST":
        form = AvatarForm(request.POST, request.FILES)
        status = 400
        if form.is_valid():
            sent = form.cleaned_data["picture"]
            try:
                avatar_upload(
                    actor=request.user,
                    name=sent.name or "",
                    size=sent.size or 0,
                    chunks=sent.chunks(),
                )
            except (Refused, PermissionDenied) as exc:
                status = 403 if isinstance(exc, PermissionDenied) else 400
                form.add_error("picture", str(exc))
            else:
                messages.success(request, _("Your picture was saved."))
                return redirect("uploads:avatar-edit")
    return render(request, "uploads/avatar.html", {"form": form}, status=status)


@login_required
@require_POST
def avatar_remove_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    avatar_remove(actor=request.user)
    messages.success(request, _("Your picture was removed: your initial is shown instead."))
    return redirect("uploads:avatar-edit")


@require_GET
def avatar_file_view(request: HttpRequest, key: str, px: int) -> FileResponse:
    """A member's picture, to anybody who sees their name: no query (the key is unguessable
    and changes with every new picture; a removed picture's files are deleted)."""
    if px not in AVATAR_SIDES:
        raise Http404
    try:
        handle = storage().open(avatar_path(key, px), "rb")
    except OSError as exc:
        raise Http404 from exc
    response = FileResponse(handle, content_type="image/webp")
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = UPLOAD_CSP
    # A new picture has a new address: browsers keep this one (not shared caches: a private
    # community's pictures are for its members).
    response["Cache-Control"] = "private, max-age=604800, immutable"
    return response
