"""Staff's pages for webhook endpoints and the delivery log (staff only: visitors go to the
log-in page, other members get a 403)."""

import re
from collections.abc import Callable
from functools import wraps
from typing import Any

from csp.constants import NONE, SELF
from csp.utils import build_policy
from django.contrib import messages
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_GET, require_POST

from config.cache import FREE_TEXT, PAGE, cache_anonymous_page
from config.site import absolute_url
from members.http import AuthenticatedHttpRequest
from search.selectors import search_page

from . import selectors, services, widget
from .filters import DeliveryFilter
from .forms import EmbedOriginForm, EndpointForm, WidgetSearchForm
from .models import Delivery, Endpoint
from .permissions import check_can_manage_webhooks

View = Callable[..., HttpResponse]


def staff_only(view: View) -> View:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        check_can_manage_webhooks(request.user)
        return view(request, *args, **kwargs)

    return wrapper


def _endpoint(pk: int) -> Endpoint:
    try:
        return selectors.endpoint_get(pk)
    except ObjectDoesNotExist:
        raise Http404 from None


def _delivery(pk: int) -> Delivery:
    try:
        return selectors.delivery_get(pk)
    except ObjectDoesNotExist:
        raise Http404 from None


@staff_only
def endpoint_list_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(request, "webhooks/endpoint_list.html", {"endpoints": selectors.endpoint_list()})


def _save(
    request: AuthenticatedHttpRequest, form: EndpointForm, endpoint: Endpoint | None
) -> Endpoint | None:
    if not form.is_valid():
        return None
    try:
        if endpoint is None:
            return services.endpoint_create(actor=request.user, **form.cleaned_data)
        return services.endpoint_update(actor=request.user, endpoint=endpoint, **form.cleaned_data)
    except ValidationError as exc:
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    return None


@staff_only
def endpoint_create_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = EndpointForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        endpoint = _save(request, form, None)
        if endpoint is not None:
            messages.success(request, _("The endpoint is registered."))
            return redirect("webhooks:endpoint-detail", pk=endpoint.pk)
    status = 400 if form.errors else 200
    return render(request, "webhooks/endpoint_form.html", {"form": form}, status=status)


@staff_only
def endpoint_detail_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    endpoint = _endpoint(pk)
    form = EndpointForm.for_endpoint(endpoint, request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if _save(request, form, endpoint) is not None:
            messages.success(request, _("The endpoint is saved."))
            return redirect("webhooks:endpoint-detail", pk=endpoint.pk)
    status = 400 if form.errors else 200
    context = {"endpoint": endpoint, "form": form}
    return render(request, "webhooks/endpoint_detail.html", context, status=status)


@require_POST
@staff_only
def endpoint_rotate_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    services.endpoint_secret_rotate(actor=request.user, endpoint=_endpoint(pk))
    messages.success(request, _("A new secret signs from now on; the old one signs too for a day."))
    return redirect("webhooks:endpoint-detail", pk=pk)


@require_POST
@staff_only
def endpoint_enable_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    services.endpoint_enable(actor=request.user, endpoint=_endpoint(pk))
    messages.success(request, _("The endpoint is on."))
    return redirect("webhooks:endpoint-detail", pk=pk)


@require_POST
@staff_only
def endpoint_disable_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    services.endpoint_disable(actor=request.user, endpoint=_endpoint(pk))
    messages.success(request, _("The endpoint is off; its events wait until it is on again."))
    return redirect("webhooks:endpoint-detail", pk=pk)


@require_POST
@staff_only
def endpoint_ping_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    delivery = services.endpoint_ping(actor=request.user, endpoint=_endpoint(pk))
    messages.success(request, _("A test event is on its way."))
    return redirect("webhooks:delivery-detail", pk=delivery.pk)


@require_POST
@staff_only
def endpoint_delete_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    services.endpoint_delete(actor=request.user, endpoint=_endpoint(pk))
    messages.success(request, _("The endpoint is deleted."))
    return redirect("webhooks:endpoint-list")


@staff_only
def delivery_list_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    filterset = DeliveryFilter(request.GET, queryset=selectors.delivery_list())
    page = Paginator(filterset.qs, 50).get_page(request.GET.get("page"))
    return render(request, "webhooks/delivery_list.html", {"filter": filterset, "page_obj": page})


@staff_only
def delivery_detail_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return render(request, "webhooks/delivery_detail.html", {"delivery": _delivery(pk)})


@require_POST
@staff_only
def delivery_redeliver_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    copy = services.delivery_redeliver(actor=request.user, delivery=_delivery(pk))
    messages.success(request, _("The delivery is sent again."))
    return redirect("webhooks:delivery-detail", pk=copy.pk)


# --- the help-centre widget ----------------------------------------------------------------


@staff_only
def embed_origins_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = EmbedOriginForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            widget.embed_origin_add(actor=request.user, origin=form.cleaned_data["origin"])
        except ValidationError as exc:
            form.add_error("origin", exc.message_dict["origin"])
        else:
            messages.success(request, _("The origin may embed the widget now."))
            return redirect("webhooks:embed-origins")
    context = {
        "form": form,
        "origins": widget.embed_origin_list(),
        "script_url": absolute_url(static("js/embed.js")),
    }
    return render(
        request, "webhooks/embed_origins.html", context, status=400 if form.errors else 200
    )


@require_POST
@staff_only
def embed_origin_delete_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    origin = widget.embed_origin_get(pk)
    if origin is None:
        raise Http404
    widget.embed_origin_remove(actor=request.user, origin=origin)
    messages.success(request, _("The origin may no longer embed the widget."))
    return redirect("webhooks:embed-origins")


WIDGET_PARAMS = {"q": FREE_TEXT, "topic": re.compile(r"^[-\w]{1,50}\Z"), "page": PAGE}


def _widget_scopes(request: HttpRequest) -> tuple[str, ...]:
    return ("questions", "faq", widget.ORIGINS_SCOPE)


@xframe_options_exempt
@require_GET
@cache_anonymous_page(_widget_scopes, WIDGET_PARAMS)
def widget_view(request: HttpRequest) -> HttpResponse:
    """The page inside the help centre's iframe: search over questions and the FAQ, the best
    answered questions of a topic, and a way to ask. The same for everyone (a visitor's view),
    no cookie, and framed only by the origins staff allowed."""
    form = WidgetSearchForm(request.GET or None)
    query = topic = ""
    if form.is_valid():
        query, topic = form.cleaned_data["q"].strip(), form.cleaned_data["topic"]
    page_obj = None
    if query:
        page_obj = search_page(
            query,
            viewer=AnonymousUser(),
            kinds=["question", "faq"],
            page=request.GET.get("page"),
            per_page=8,
        )
    context = {
        "form": form,
        "query": query,
        "topic": topic,
        "page_obj": page_obj,
        "top": [] if query else widget.widget_top_questions(topic),
    }
    response = render(request, "webhooks/widget.html", context, status=400 if form.errors else 200)
    ancestors = widget.embed_origins_allowed() or [NONE]
    # Set here (not by the middleware), so that the copy the page cache keeps carries it.
    response["Content-Security-Policy"] = build_policy(
        replace={"frame-ancestors": ancestors, "form-action": [SELF]}
    )
    return response
