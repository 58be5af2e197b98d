from django.contrib.sitemaps.views import sitemap
from django.urls import path, re_path

from .feeds import CategoryQuestionFeed, QuestionAtomFeed, QuestionFeed, TagQuestionFeed
from .sitemaps import SITEMAPS
from .views import answers as answer_views
from .views import faq as faq_views
from .views import moderating as mod_views
from .views import posts as post_views
from .views import privileges as privilege_views
from .views import questions as q_views
from .views import watching as watch_views

app_name = "forum"

KIND = r"^qa/(?P<kind>question|answer|comment|faq)/"

urlpatterns = [
    path("questions/", q_views.question_list_view, name="question-list"),
    path("faq/", faq_views.faq_view, name="faq"),
    # Q&A
    path("questions/ask/", q_views.question_ask_view, name="question-ask"),
    path("questions/similar/", q_views.question_similar_view, name="question-similar"),
    path(
        "questions/ask/suggestion/",
        q_views.question_suggestion_open_view,
        name="question-suggestion-open",
    ),
    path("questions/tagged/<slug:slug>/", q_views.tag_view, name="tag"),
    path("questions/category/<slug:slug>/", q_views.category_view, name="category"),
    path("questions/tagged/<slug:slug>/watch/", watch_views.tag_watch_view, name="tag-watch"),
    path(
        "questions/category/<slug:slug>/watch/",
        watch_views.category_watch_view,
        name="category-watch",
    ),
    path("questions/feed/rss/", QuestionFeed(), name="feed-rss"),
    path("questions/feed/atom/", QuestionAtomFeed(), name="feed-atom"),
    path("questions/tagged/<slug:slug>/feed/", TagQuestionFeed(), name="feed-tag"),
    path("questions/category/<slug:slug>/feed/", CategoryQuestionFeed(), name="feed-category"),
    path("questions/<int:pk>/", q_views.question_short_view, name="question-short"),
    path("questions/<int:pk>/answer/", answer_views.answer_create_view, name="answer-create"),
    path("questions/<int:pk>/follow/", q_views.question_follow_view, name="question-follow"),
    path("questions/<int:pk>/unfollow/", q_views.question_unfollow_view, name="question-unfollow"),
    path("questions/<int:pk>/edit/", q_views.question_edit_view, name="question-edit"),
    path("questions/<int:pk>/lock/", mod_views.question_lock_view, name="question-lock"),
    path("questions/<int:pk>/unlock/", mod_views.question_unlock_view, name="question-unlock"),
    path("questions/<int:pk>/move/", mod_views.question_move_view, name="question-move"),
    path(
        "questions/<int:pk>/duplicate/",
        mod_views.question_duplicate_view,
        name="question-duplicate",
    ),
    path("questions/<int:pk>/reopen/", mod_views.question_reopen_view, name="question-reopen"),
    path("questions/<int:pk>/retag/", privilege_views.question_retag_view, name="question-retag"),
    path("questions/<int:pk>/close/", privilege_views.question_close_view, name="question-close"),
    path(
        "questions/<int:pk>/reopen-vote/",
        privilege_views.question_reopen_vote_view,
        name="question-reopen-vote",
    ),
    path(
        "questions/suggested-edits/",
        privilege_views.suggested_edit_list_view,
        name="suggested-edits",
    ),
    path(
        "questions/suggested-edits/<int:pk>/",
        privilege_views.suggested_edit_detail_view,
        name="suggested-edit",
    ),
    path(
        "questions/suggested-edits/<int:pk>/approve/",
        privilege_views.suggested_edit_approve_view,
        name="suggested-edit-approve",
    ),
    path(
        "questions/suggested-edits/<int:pk>/reject/",
        privilege_views.suggested_edit_reject_view,
        name="suggested-edit-reject",
    ),
    path(
        "qa/audit/<int:pk>/revert/",
        privilege_views.audit_entry_revert_view,
        name="audit-revert",
    ),
    path("questions/<int:pk>/promote/", faq_views.faq_promote_view, name="question-promote"),
    path("questions/<int:pk>/<str:slug>/", q_views.question_detail_view, name="question-detail"),
    path("answers/<int:pk>/accept/", answer_views.answer_accept_view, name="answer-accept"),
    path("answers/<int:pk>/unaccept/", answer_views.answer_unaccept_view, name="answer-unaccept"),
    re_path(KIND + r"(?P<pk>[0-9]+)/vote/$", post_views.vote_view, name="vote"),
    re_path(
        KIND + r"(?P<pk>[0-9]+)/comment/$", post_views.comment_create_view, name="comment-create"
    ),
    re_path(KIND + r"(?P<pk>[0-9]+)/edit-post/$", post_views.post_edit_view, name="post-edit"),
    re_path(KIND + r"(?P<pk>[0-9]+)/revisions/$", post_views.revisions_view, name="revisions"),
    re_path(
        r"^qa/(?P<kind>question|answer)/(?P<pk>[0-9]+)/revert/(?P<number>[0-9]+)/$",
        privilege_views.revision_revert_view,
        name="revision-revert",
    ),
    re_path(KIND + r"(?P<pk>[0-9]+)/delete/$", post_views.post_delete_view, name="post-delete"),
    re_path(KIND + r"(?P<pk>[0-9]+)/restore/$", post_views.post_restore_view, name="post-restore"),
    re_path(KIND + r"(?P<pk>[0-9]+)/feedback/$", faq_views.feedback_view, name="feedback"),
    # FAQ
    path("faq/new/", faq_views.faq_create_view, name="faq-create"),
    path("faq/<int:pk>/edit/", faq_views.faq_edit_view, name="faq-edit"),
    path("faq/<int:pk>/<str:slug>/", faq_views.faq_detail_view, name="faq-detail"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
]
