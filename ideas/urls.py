"""The idea board under /ideas/ (included by forum.urls inside the ``forum`` namespace)."""

from django.urls import path

from . import feeds_ideas, views_ideas

urlpatterns = [
    path("", views_ideas.idea_list_view, name="idea-list"),
    path("new/", views_ideas.idea_new_view, name="idea-new"),
    path("similar/", views_ideas.idea_similar_view, name="idea-similar"),
    path("roadmap/", views_ideas.idea_roadmap_view, name="idea-roadmap"),
    path("changelog/", views_ideas.idea_changelog_view, name="idea-changelog"),
    path("changelog/rss/", feeds_ideas.ShippedIdeasRssFeed(), name="idea-changelog-rss"),
    path("changelog/atom/", feeds_ideas.ShippedIdeasAtomFeed(), name="idea-changelog-atom"),
    path("review/", views_ideas.idea_review_list_view, name="idea-review"),
    path(
        "from-question/<int:question_pk>/",
        views_ideas.idea_from_question_view,
        name="idea-from-question",
    ),
    path("<int:pk>/vote/", views_ideas.idea_vote_view, name="idea-vote"),
    path("<int:pk>/unvote/", views_ideas.idea_unvote_view, name="idea-unvote"),
    path("<int:pk>/follow/", views_ideas.idea_follow_view, name="idea-follow"),
    path("<int:pk>/unfollow/", views_ideas.idea_unfollow_view, name="idea-unfollow"),
    path("<int:pk>/comment/", views_ideas.idea_comment_view, name="idea-comment"),
    path("<int:pk>/status/", views_ideas.idea_status_view, name="idea-status"),
    path("<int:pk>/review/", views_ideas.idea_review_view, name="idea-review-action"),
    path("<int:pk>/link-question/", views_ideas.idea_link_question_view, name="idea-link-question"),
    # Last, so that the action paths above are not read as slugs.
    path("<int:pk>/", views_ideas.idea_detail_view, name="idea-detail-short"),
    path("<int:pk>/<str:slug>/", views_ideas.idea_detail_view, name="idea-detail"),
]
