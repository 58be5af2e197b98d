from .common import Category, Comment, Follow, Tag
from .faq import AskVisit, DeflectionFeedback, FaqEntry
from .privileges import CloseVote, SuggestedEdit
from .questions import (
    Answer,
    AnswerVote,
    CloseReason,
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
    "CloseReason",
    "CloseVote",
    "Comment",
    "DeflectionFeedback",
    "FaqEntry",
    "Follow",
    "Question",
    "QuestionRead",
    "QuestionVote",
    "ReputationEvent",
    "Revision",
    "SuggestedEdit",
    "Tag",
    "TopicWatch",
    "VoteValue",
]
