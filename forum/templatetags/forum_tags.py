"""The pieces repeated next to every post of a question page: the vote box, the post tools
and the comments. Built in Python rather than as included templates: a question page with
35 answers and their comments renders them ~150 times, and as templates they were most of
its cost (0.2–0.5 ms each). Context used: ``user``, ``is_moderator``, ``can_comment`` and the
CSRF token, as the templates did."""

from collections.abc import Iterable
from datetime import date
from typing import Any

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma, naturaltime
from django.template import Context
from django.utils import dateformat
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import template_localtime  # type: ignore[attr-defined]  # not in the stubs
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from config.html import Labels, html
from config.urlbuild import url_for
from members.templatetags.members_tags import member_link
from moderation.templatetags.moderation_tags import csrf_input, flag_control, moderator_actions

from ..models import Answer, Comment, FaqEntry, Question
from ..permissions.questions import Post

register = template.Library()
# A template context, or the plain dict ``forum.page_fragments`` renders pieces with.
Ctx = Context | dict[str, Any]
EMPTY = mark_safe("")  # noqa: S308 - a constant
LABELS = Labels(
    {
        "score": _("Score"),
        "up": _("Up-vote"),
        "down": _("Down-vote"),
        "Edit": _("Edit"),
        "Restore": _("Restore"),
        "Delete": _("Delete"),
        "edit": _("edit"),
        "restore": _("restore"),
        "delete": _("delete"),
        "revisions": _("Revisions"),
        "edited": _("edited"),
        "held": _("awaiting approval"),
        "deleted": _("deleted"),
        "add_comment": _("Add a comment"),
        "comment": _("Comment"),
    }
)


@register.simple_tag(takes_context=True)
def vote_box(
    context: Ctx,
    post: Question | Answer,
    kind: str,
    score: int | None = None,
    my_vote: int | None = None,
    error: str = "",
) -> SafeString:
    """Up/down buttons around the score (the score alone for visitors and the author).
    Also the htmx answer of the vote view."""
    user = context.get("user")
    labels = LABELS.get()
    pk = post.pk
    score = post.score if score is None else score
    score_html = html(
        '<strong class="score" aria-label="{label}">{score}</strong>',
        label=labels["score"],
        score=score,
    )
    if user is not None and user.is_authenticated and post.author_id != user.pk:
        url = url_for("forum:vote", kind, pk)
        inner = html(
            '\n  <form method="post" action="{url}" hx-post="{url}" '
            'hx-target="#vote-{kind}-{pk}" hx-swap="outerHTML">\n    {csrf}\n'
            '    <button type="submit" name="value" value="{up}" aria-pressed="{up_pressed}" '
            'title="{up_title}">▲</button>\n    {score}\n'
            '    <button type="submit" name="value" value="{down}" aria-pressed="{down_pressed}"'
            ' title="{down_title}">▼</button>\n  </form>\n  ',
            url=url,
            kind=kind,
            pk=pk,
            csrf=csrf_input(context),
            up="none" if my_vote == 1 else "up",
            up_pressed="true" if my_vote == 1 else "false",
            up_title=labels["up"],
            score=score_html,
            down="none" if my_vote == -1 else "down",
            down_pressed="true" if my_vote == -1 else "false",
            down_title=labels["down"],
        )
    else:
        inner = SafeString("\n  " + score_html)
    if error:
        inner += html('\n  <p class="error" role="alert">{error}</p>', error=error)
    return html(
        '<div class="vote-box" id="vote-{kind}-{pk}">{inner}\n</div>', kind=kind, pk=pk, inner=inner
    )


def _own_tools(context: Ctx, post: Post, kind: str, *, edit_url: str, small: bool) -> SafeString:
    """Edit and delete (or restore, for moderators) for the author and moderators."""
    user = context.get("user")
    is_moderator = bool(context.get("is_moderator"))
    if user is None or not user.is_authenticated:
        return EMPTY
    if not (is_moderator or post.author_id == user.pk):
        return EMPTY
    labels = LABELS.get()
    words = ("edit", "restore", "delete") if small else ("Edit", "Restore", "Delete")
    out = html('\n  <a href="{url}">{label}</a>', url=edit_url, label=labels[words[0]])
    form = (
        '\n  <form class="inline" method="post" action="{url}">{csrf}<button class="link" '
        'type="submit">{label}</button></form>'
    )
    if post.deleted_at:
        if is_moderator:
            out += html(
                form,
                url=url_for("forum:post-restore", kind, post.pk),
                csrf=csrf_input(context),
                label=labels[words[1]],
            )
    else:
        out += html(
            form,
            url=url_for("forum:post-delete", kind, post.pk),
            csrf=csrf_input(context),
            label=labels[words[2]],
        )
    return out


@register.simple_tag(takes_context=True)
def post_tools(context: Ctx, post: Question | Answer, kind: str) -> SafeString:
    """Edit, delete, revisions, flag and moderator actions under a question or answer. The
    leading comment marks the post's tools for ``forum.page_fragments``."""
    edit_url = (
        url_for("forum:question-edit", post.pk)
        if kind == "question"
        else url_for("forum:post-edit", kind, post.pk)
    )
    tools = _own_tools(context, post, kind, edit_url=edit_url, small=False)
    if post.edited_at:
        tools += html(
            '\n<a href="{url}">{label}</a>',
            url=url_for("forum:revisions", kind, post.pk),
            label=LABELS.get()["revisions"],
        )
    return html(
        '<p class="post-tools meta"><!--tools:{kind}:{pk}-->{tools}{flag}{mod}\n</p>',
        kind=kind,
        pk=post.pk,
        tools=tools,
        flag=flag_control(context, post),
        mod=moderator_actions(context, post),
    )


def comment_tools(context: Ctx, comment: Comment) -> SafeString:
    """Edit/delete for the author and moderators, flag, moderator actions; the leading
    comment marks them for ``forum.page_fragments``."""
    tools = _own_tools(
        context,
        comment,
        "comment",
        small=True,
        edit_url=url_for("forum:post-edit", "comment", comment.pk),
    )
    return html(
        "<!--tools:comment:{pk}-->{tools}{flag}{mod}",
        pk=comment.pk,
        tools=tools,
        flag=flag_control(context, comment),
        mod=moderator_actions(context, comment),
    )


def _comment(context: Ctx, comment: Comment) -> SafeString:
    labels = LABELS.get()
    edited = ""
    if comment.edited_at:
        edited = html(
            ' · <a href="{url}">{label}</a>',
            url=url_for("forum:revisions", "comment", comment.pk),
            label=labels["edited"],
        )
    badges = ""
    if not comment.is_published:
        badges += ' <span class="badge badge-held">' + labels["held"] + "</span>"
    if comment.deleted_at:
        badges += ' <span class="badge">' + labels["deleted"] + "</span>"
    badges = SafeString(badges)
    return html(
        '\n  <div class="comment{deleted}" id="comment-{pk}">\n'
        '    <div class="comment-body">{body}</div>\n'
        '    <p class="meta">— {author} · {when}{edited}{badges}{tools}\n'
        "    </p>\n  </div>",
        deleted=" deleted" if comment.deleted_at else "",
        pk=comment.pk,
        body=mark_safe(comment.body_html),  # noqa: S308 - sanitized when stored (nh3)
        author=member_link(comment.author),
        when=naturaltime(comment.created_at),
        edited=edited,
        badges=badges,
        tools=comment_tools(context, comment),
    )


@register.simple_tag(takes_context=True)
def comment_list(
    context: Ctx, comments: Iterable[Comment], kind: str, target: Question | Answer
) -> SafeString:
    """A post's comments and, when the viewer may comment, the form to add one."""
    out = "".join([_comment(context, comment) for comment in comments])
    if context.get("can_comment"):
        labels = LABELS.get()
        out += html(
            '\n<details class="comment-add"><summary>{add}</summary>\n'
            '  <form method="post" action="{url}">\n    {csrf}\n'
            '    <label class="visually-hidden" for="comment-{kind}-{pk}">{label}</label>\n'
            '    <textarea id="comment-{kind}-{pk}" name="body" rows="2" maxlength="2000" '
            'required></textarea>\n    <button type="submit">{label}</button>\n'
            "  </form>\n</details>",
            add=labels["add_comment"],
            url=url_for("forum:comment-create", kind, target.pk),
            csrf=csrf_input(context),
            kind=kind,
            pk=target.pk,
            label=labels["comment"],
        )
    return SafeString('<div class="comments">' + out + "\n</div>")


ROW_LABELS = Labels(
    {
        "votes": _("Votes"),
        "views": _("views"),
        "solved": _("Solved"),
        "held": _("awaiting approval"),
        "closed": _("closed"),
    }
)


@register.simple_tag
def question_rows(questions: Iterable[Question]) -> SafeString:
    """The rows of a question list, the markup ``forum/_question_row.html`` made (about 40
    template nodes a row, most of a list page's cost): one tag, the same escaping."""
    labels = ROW_LABELS.get()
    rows = []
    for question in questions:
        solved = question.is_solved
        answers = question.answer_count
        badges = "".join(
            (
                f' <span class="badge badge-solved">{labels["solved"]}</span>' if solved else "",
                ""
                if question.is_published
                else f' <span class="badge badge-held">{labels["held"]}</span>',
                f' <span class="badge">{labels["closed"]}</span>' if question.is_closed else "",
            )
        )
        tags = "".join(
            html(
                '<a class="tag" href="{url}">{name}</a>', url=tag.get_absolute_url(), name=tag.name
            )
            for tag in question.tags.all()
        )
        created = template_localtime(question.created_at)
        rows.append(
            html(
                '<article class="post-row question-row{solved_class}" id="question-{pk}">\n'
                '  <div class="post-stats">\n'
                '    <span title="{votes_title}">{votes}</span>\n'
                '    <span class="{answered}">{answers}</span>\n'
                "    <span>{views} {views_label}</span>\n"
                "  </div>\n"
                "  <div>\n"
                '    <h3 class="post-title"><a href="{url}">{title}</a>{badges}</h3>\n'
                '    <p class="meta">\n'
                '      <a href="{category_url}">{category}</a>\n'
                "      {tags}\n"
                '      · {author} · <time datetime="{iso}">{ago}</time>\n'
                "    </p>\n"
                "  </div>\n"
                "</article>",
                solved_class=SafeString(" solved" if solved else ""),
                pk=question.pk,
                votes_title=labels["votes"],
                votes=SafeString(
                    ngettext(
                        "<strong>%(counter)s</strong> vote",
                        "<strong>%(counter)s</strong> votes",
                        question.score,
                    )
                    % {"counter": question.score}
                ),
                answered=SafeString("answered-solved" if solved else "answered" if answers else ""),
                answers=SafeString(
                    ngettext(
                        "<strong>%(counter)s</strong> answer",
                        "<strong>%(counter)s</strong> answers",
                        answers,
                    )
                    % {"counter": answers}
                ),
                views=intcomma(question.view_count),
                views_label=labels["views"],
                url=question.get_absolute_url(),
                title=question.title,
                badges=SafeString(badges),
                category_url=question.category.get_absolute_url(),
                category=question.category.name,
                tags=SafeString(tags),
                author=member_link(question.author),
                iso=dateformat.format(created, "c"),
                ago=naturaltime(question.created_at),
            )
        )
    return SafeString("".join(f"{row}\n\n" for row in rows))


FAQ_LABELS = Labels(
    {
        "draft": _("draft"),
        "outdated": _("outdated"),
        "edit": _("edit"),
        "empty": _("No FAQ entries yet."),
    }
)


@register.simple_tag
def faq_groups(
    entries: Iterable[FaqEntry], can_manage: bool = False, today: date | None = None
) -> SafeString:
    """The FAQ page's sections, one per category in the order of ``entries``: the markup
    the template's regroup and loops made (300 entries were ~2,000 template nodes)."""
    labels = FAQ_LABELS.get()
    groups: list[tuple] = []
    for entry in entries:
        if not groups or groups[-1][0] != entry.category:
            groups.append((entry.category, []))
        groups[-1][1].append(entry)
    if not groups:
        return SafeString(f'\n<p class="empty">{labels["empty"]}</p>\n\n')
    sections = []
    for category, members in groups:
        items = []
        for entry in members:
            manage = ""
            if can_manage:
                manage = "".join(
                    (
                        ""
                        if entry.is_published
                        else f' <span class="badge">{labels["draft"]}</span>',
                        f' <span class="badge overdue">{labels["outdated"]}</span>'
                        if entry.review_by and entry.review_by < today
                        else "",
                        html(
                            ' <a class="meta" href="{url}">{edit}</a>',
                            url=url_for("forum:faq-edit", entry.pk),
                            edit=labels["edit"],
                        ),
                    )
                )
            items.append(
                html(
                    '\n    <li><a href="{url}">{title}</a>\n    {manage}</li>\n  ',
                    url=entry.get_absolute_url(),
                    title=entry.title,
                    manage=SafeString(manage),
                )
            )
        description = (
            html('<p class="meta">{text}</p>', text=category.description)
            if category.description
            else ""
        )
        sections.append(
            html(
                '\n<section class="faq-group card">\n'
                '  <h2 id="faq-{slug}">{name}</h2>\n'
                "  {description}\n"
                '  <ul class="faq-list">\n  {items}\n  </ul>\n'
                "</section>\n",
                slug=category.slug,
                name=category.name,
                description=SafeString(description),
                items=SafeString("".join(items)),
            )
        )
    return SafeString("\n" + "".join(sections) + "\n")
