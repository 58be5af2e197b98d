"""Admin for Q&A rows (staff use the site's own pages for day-to-day work)."""

from django.contrib import admin

from .models import Answer, Category, DeflectionFeedback, FaqEntry, Question, Tag


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "position", "ambassadors_only"]
    list_editable = ["position", "ambassadors_only"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "question_count"]
    search_fields = ["name"]
    readonly_fields = ["question_count"]


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "category",
        "author",
        "moderation_state",
        "score",
        "answer_count",
        "created_at",
    ]
    list_filter = ["moderation_state", "category"]
    search_fields = ["title"]
    raw_id_fields = ["author", "accepted_answer", "duplicate_of", "tags"]
    readonly_fields = ["score", "answer_count", "comment_count", "view_count", "follower_count"]


@admin.register(Answer)
class AnswerAdmin(admin.ModelAdmin):
    list_display = ["id", "question", "author", "moderation_state", "score", "is_accepted"]
    list_filter = ["moderation_state", "is_official", "is_accepted"]
    raw_id_fields = ["question", "author"]
    readonly_fields = ["score", "comment_count"]


@admin.register(FaqEntry)
class FaqEntryAdmin(admin.ModelAdmin):
    list_display = ["title", "category", "position", "is_published", "review_by", "view_count"]
    list_filter = ["category", "is_published"]
    raw_id_fields = ["source_question", "created_by"]


@admin.register(DeflectionFeedback)
class DeflectionFeedbackAdmin(admin.ModelAdmin):
    list_display = [
        "id",
        "question",
        "faq_entry",
        "helpful",
        "would_have_contacted_support",
        "created_at",
    ]
    list_filter = ["helpful", "would_have_contacted_support"]
    raw_id_fields = ["question", "faq_entry", "member"]
