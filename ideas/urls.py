"""The idea board under /ideas/ (included by config.urls), in the ``ideas`` namespace."""

from django.urls import path

from . import feeds, views

app_name = "ideas"

urlpatterns = [
    path("", views.idea_list_view, name="idea-list"),
    path("new/", views.idea_new_view, name="idea-new"),
    path("similar/", views.idea_similar_view, name="idea-similar"),
    path("roadmap/", views.idea_roadmap_view, name="idea-roadmap"),
    path("changelog/", views.idea_changelog_view, name="idea-changelog"),
    path("changelog/rss/", feeds.ShippedIdeasRssFeed(), name="idea-changelog-rss"),
    path("changelog/atom/", feeds.ShippedIdeasAtomFeed(), name="idea-changelog-atom"),
    path("review/", views.idea_review_list_view, name="idea-review"),
    path("status/<str:status>/watch/", views.status_watch_view, name="status-watch"),
    path(
        "from-question/<int:question_pk>/",
        views.idea_from_question_view,
        name="idea-from-question",
    ),
    path("<int:pk>/vote/", views.idea_vote_view, name="idea-vote"),
    path("<int:pk>/unvote/", views.idea_unvote_view, name="idea-unvote"),
    path("<int:pk>/follow/", views.idea_follow_view, name="idea-follow"),
    path("<int:pk>/unfollow/", views.idea_unfollow_view, name="idea-unfollow"),
    path("<int:pk>/comment/", views.idea_comment_view, name="idea-comment"),
    path("<int:pk>/status/", views.idea_status_view, name="idea-status"),
    path("<int:pk>/review/", views.idea_review_view, name="idea-review-action"),
    path("<int:pk>/merge/", views.idea_merge_view, name="idea-merge"),
    path("<int:pk>/link-question/", views.idea_link_question_view, name="idea-link-question"),
    # Last, so that the action paths above are not read as slugs.
    path("<int:pk>/", views.idea_detail_view, name="idea-detail-short"),
    path("<int:pk>/<str:slug>/", views.idea_detail_view, name="idea-detail"),
]
