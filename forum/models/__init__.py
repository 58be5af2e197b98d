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
from .watching import QuestionRead, TopicWatch

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
    "QuestionRead",
    "QuestionVote",
    "ReputationEvent",
    "Revision",
    "Tag",
    "TopicWatch",
    "VoteValue",
]
