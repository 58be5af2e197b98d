from django.contrib import admin

from .models import Upload


@admin.register(Upload)
class UploadAdmin(admin.ModelAdmin):
    list_display = ["key", "name", "kind", "owner", "size", "post_type", "post_id", "created_at"]
    list_filter = ["kind"]
    search_fields = ["key", "name", "owner__username"]
    raw_id_fields = ["owner"]
    readonly_fields = ["key", "path", "thumbnail_path", "content_type", "size"]
