from .common import Category, Comment, Follow, Tag
from .faq import AskVisit, DeflectionFeedback, FaqEntry
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
    "AskVisit",
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
