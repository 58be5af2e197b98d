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
