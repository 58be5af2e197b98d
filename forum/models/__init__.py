from .common import Category, Comment, Follow, Tag

__all__ = ["Category", "Comment", "Follow", "Tag"]

# The idea board (forum/models/ideas.py).
from .ideas import Idea, IdeaStatus, IdeaStatusChange, IdeaVote  # noqa: E402

__all__ += ["Idea", "IdeaStatus", "IdeaStatusChange", "IdeaVote"]
