"""How the idea board plugs into the apps below it: moderation (its content, the comments on
ideas, the "new ideas" queue), notifications, the home and profile pages, site search, the
sitemap and the question page. ``IdeasConfig.ready`` calls ``connect`` once the models are
loaded; every registry here ignores a second registration of the same thing."""

from datetime import timedelta
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from config.cache import model_scopes, nothing
from config.home import HOME_AS_VISITORS, HOME_SECTIONS
from config.jinja2 import register_global
from forum.hooks import comment_edited, register_question_page_extra
from forum.models import Comment
from forum.sitemaps import SITEMAPS
from members import personal_data
from members.badges import register_rule
from members.bookmarks import register_bookmarkable
from members.feed import register_feed_source
from members.notifications import register_kind, register_target_visibility
from members.profile import PROFILE_SECTIONS
from members.summary import register_summary_source
from members.watching import register_watch_source
from moderation.registry import register_content, register_on_publish, register_queue
from search.sources import register_source
from uploads.registry import register_draft_kind, register_post

from . import (
    feeds,
    permissions,
    privacy,
    review,
    sections,
    selectors,
    services,
    services_badges,
    services_mentions,
    tasks,  # noqa: F401 - the worker learns the board's tasks from this import
)
from .hooks import idea_status_changed
from .labels import GLOBALS as LABELS
from .models import Idea, IdeaQuestionLink, IdeaStatus, IdeaStatusChange, IdeaVote, StatusWatch


def comment_mentions_notify(sender: Any, comment: Comment, **kwargs: Any) -> None:
    """A comment on an idea was edited: the members it newly mentions are told."""
    services_mentions.idea_comment_mentions_notify(comment)


def status_changed_badges(
    sender: type, idea: Idea, change: IdeaStatusChange, **kwargs: Any
) -> None:
    services_badges.badges_on_status_changed(idea=idea, change=change)


def connect() -> None:
    idea_status_changed.connect(status_changed_badges, dispatch_uid="ideas.status_changed_badges")
    register_rule("visionary", services_badges.visionary_holders)
    for name, function in LABELS.items():
        register_global(name, function)
    # An idea's page, and the board, the roadmap and the changelog that list it.
    model_scopes(Idea, lambda idea, fields: (f"idea:{idea.pk}", "ideas"))
    model_scopes(IdeaVote, lambda vote, fields: (f"idea:{vote.idea_id}", "ideas"))
    model_scopes(IdeaStatusChange, lambda change, fields: (f"idea:{change.idea_id}", "ideas"))
    model_scopes(
        IdeaQuestionLink,
        lambda link, fields: (f"idea:{link.idea_id}", f"question:{link.question_id}"),
    )
    model_scopes(StatusWatch, nothing)  # shown on no shared page
    register_watch_source(selectors.status_watches_of)
    register_summary_source(selectors.summary_ideas)
    register_content(
        Idea,
        label=_("idea"),
        on_publish=services.idea_on_publish,
        visible_to=permissions.ideas_visible_to,
    )
    register_target_visibility(Idea, permissions.ideas_visible_to)
    register_bookmarkable(Idea, label=_("idea"), load=selectors.idea_bookmark_titles)
    # What members type into the idea form is kept as a draft until posted.
    register_draft_kind("idea", label=_("New idea"), url=lambda: reverse("ideas:idea-new"))
    register_feed_source(selectors.ideas_by)
    register_post(
        Idea, label=_("idea"), visible_to=permissions.ideas_visible_to, text_field="description"
    )
    # Replaces forum's rule for comments: the same, and on ideas the viewer may see.
    register_post(Comment, label=_("comment"), visible_to=permissions.comments_readable_to)
    # Comments belong to the forum, which registered them; a comment on an idea is also
    # counted and announced to the idea's followers once approved.
    register_on_publish(Comment, services.comment_on_publish)
    comment_edited.connect(
        comment_mentions_notify, sender=Comment, dispatch_uid="ideas.comment_mentions_notify"
    )
    register_queue(
        services.REVIEW_QUEUE,
        label=_("New ideas"),
        target_age=timedelta(days=3),
        on_approve=review.queue_approve,
        on_reject=review.queue_reject,
        order=30,
    )
    register_kind(
        "idea_status_changed",
        group="ideas",
        param_labels={"status": dict(IdeaStatus.choices)},
        label=_("Status changes of ideas I voted for or follow"),
        message=_("“%(title)s” is now %(status)s"),
    )
    register_kind(
        "watched_idea",
        group="ideas",
        param_labels={"status": dict(IdeaStatus.choices)},
        label=_("Ideas in statuses I watch"),
        message=_("“%(title)s” (%(status)s)"),
    )
    register_kind(
        "idea_shipped",
        group="ideas",
        label=_("Ideas I care about have shipped"),
        message=_("Shipped: “%(title)s”"),
    )
    register_kind(
        "idea_merged",
        group="ideas",
        label=_("Ideas I voted for are merged into another"),
        message=_("“%(title)s” was merged into “%(target)s”; your vote moved with it"),
    )
    register_kind(
        "idea_comment",
        group="ideas",
        email_default=False,
        label=_("Comments on ideas I follow"),
        message=_("%(actor)s commented on “%(title)s”"),
    )
    register_source(
        "idea",
        label=_("Ideas"),
        search=selectors.idea_search,
        rank=selectors.idea_rank,
        rebuild=services.idea_search_index_all,
        as_visitors=selectors.idea_search_as_visitor,
    )
    SITEMAPS.update(ideas=feeds.IdeaSitemap, idea_pages=feeds.IdeaPagesSitemap)
    register_question_page_extra("ideas/question_to_idea.html")
    if sections.home_section not in HOME_SECTIONS:
        HOME_SECTIONS.append(sections.home_section)
    if sections.home_as_visitors not in HOME_AS_VISITORS:
        HOME_AS_VISITORS.append(sections.home_as_visitors)
    if sections.profile_section not in PROFILE_SECTIONS:
        PROFILE_SECTIONS.append(sections.profile_section)
    personal_data.register(
        "ideas.ideas", _("Ideas"), export=privacy.export_ideas, erase=privacy.erase
    )
    personal_data.register("ideas.votes", _("Votes on ideas"), export=privacy.export_votes)
    personal_data.register(
        "ideas.watches", _("Idea statuses you watch"), export=privacy.export_watches
    )
