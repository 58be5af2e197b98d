from .common import Category, Comment, Follow, Tag

__all__ = ["Category", "Comment", "Follow", "Tag"]
