"""Uploading, serving uploads through their post's visibility, and the Markdown preview."""

import re

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_POST

from config.markdown import render_markdown
from members.http import AuthenticatedHttpRequest, HtmxHttpRequest

from .forms import UploadForm
from .models import Upload
from .permissions import can_read_upload
from .proxy import Unavailable, fetch, signature_valid
from .selectors import upload_get
from .services import Refused, storage, upload_create, upload_markdown, upload_url

# Served uploads run nothing and embed nothing, even when opened on their own.
UPLOAD_CSP = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"
PREVIEW_MAX_CHARS = 20000
FIELD_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]{0,60}$")


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


@login_required
@require_GET
def upload_new_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The upload page for browsers without JavaScript: it returns the Markdown to paste."""
    return render(request, "uploads/new.html", {"form": UploadForm()})


@login_required
@require_POST
def upload_create_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = UploadForm(request.POST, request.FILES)
    status = 400
    if form.is_valid():
        sent = form.cleaned_data["file"]
        try:
            upload = upload_create(
                actor=request.user, name=sent.name or "", size=sent.size or 0, chunks=sent.chunks()
            )
        except (Refused, PermissionDenied) as exc:
            status = 403 if isinstance(exc, PermissionDenied) else 400
            form.add_error("file", str(exc))
        else:
            markdown = upload_markdown(upload)
            if _wants_json(request):
                data = {"markdown": markdown, "url": upload_url(upload), "name": upload.name}
                return JsonResponse(data, status=201)
            context = {"form": UploadForm(), "upload": upload, "markdown": markdown}
            return render(request, "uploads/new.html", context, status=201)
    if _wants_json(request):
        errors = [str(e) for e in form.errors.get("file", [])] or [str(form.errors)]
        return JsonResponse({"error": " ".join(errors)}, status=status)
    return render(request, "uploads/new.html", {"form": form}, status=status)


def _serve(request: HttpRequest, key: str, *, thumbnail: bool) -> FileResponse:
    upload = upload_get(key)
    if upload is None or not can_read_upload(request.user, upload):
        raise Http404
    path = upload.thumbnail_path if thumbnail else upload.path
    if not path:
        raise Http404
    try:
        handle = storage().open(path, "rb")
    except OSError as exc:  # gone from the store (deleted by hand): as if it never was
        raise Http404 from exc
    inline = upload.kind == Upload.Kind.IMAGE
    response = FileResponse(
        handle, as_attachment=not inline, filename=upload.name, content_type=upload.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = UPLOAD_CSP
    # Visibility can change (a post hidden, a category closed): browsers keep it a short while
    # and shared caches never.
    response["Cache-Control"] = "private, max-age=300"
    return response


@require_GET
def upload_file_view(request: HttpRequest, key: str, name: str) -> FileResponse:
    return _serve(request, key, thumbnail=False)


@require_GET
def upload_thumbnail_view(request: HttpRequest, key: str, name: str) -> FileResponse:
    return _serve(request, key, thumbnail=True)


@login_required
@require_POST
def preview_view(request: HtmxHttpRequest) -> HttpResponse:
    """The text of the editor named ``preview_field``, rendered exactly as a post is stored
    (config.markdown.render_markdown). htmx swaps the fragment in below the editor; without
    JavaScript the "Preview" button posts the whole form here, in a new tab."""
    field = request.POST.get("preview_field", "body")
    if not FIELD_RE.match(field):
        field = "body"
    text = request.POST.get(field, "")[:PREVIEW_MAX_CHARS]
    context = {"html": render_markdown(text), "field": field}
    template = "uploads/_preview.html" if request.htmx else "uploads/preview.html"
    return render(request, template, context)


@require_GET
def image_proxy_view(request: HttpRequest) -> HttpResponse:
    """An image from another host named in a post, fetched by the site (uploads.proxy). Only
    addresses the site signed; anything that is not an image gives 404 (a broken image)."""
    url = request.GET.get("url", "")
    if not url or not signature_valid(url, request.GET.get("s", "")):
        raise Http404
    try:
        data, content_type = fetch(url)
    except Unavailable as exc:
        raise Http404 from exc
    response = HttpResponse(data, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = UPLOAD_CSP
    response["Content-Disposition"] = "inline"
    response["Cache-Control"] = "public, max-age=86400"
    return response
