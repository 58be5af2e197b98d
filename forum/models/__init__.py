from .common import Category, Comment, Follow, Tag
from .faq import DeflectionFeedback, FaqEntry
from .questions import (
    Answer,
    AnswerVote,
    Question,
    QuestionVote,
    ReputationEvent,
    Revision,
    VoteValue,
)

__all__ = [
    "Answer",
    "AnswerVote",
    "Category",
    "Comment",
    "DeflectionFeedback",
    "FaqEntry",
    "Follow",
    "Question",
    "QuestionVote",
    "ReputationEvent",
    "Revision",
    "Tag",
    "VoteValue",
]

# The idea board (forum/models/ideas.py).
from .ideas import (  # noqa: E402
    Idea,
    IdeaQuestionLink,
    IdeaStatus,
    IdeaStatusChange,
    IdeaVote,
)

__all__ += ["Idea", "IdeaQuestionLink", "IdeaStatus", "IdeaStatusChange", "IdeaVote"]
