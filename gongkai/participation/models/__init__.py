"""Participation models, one module per topic; this package re-exports them."""

from .answers import Answer, AnswerBasis, AnswerStatus  # noqa: F401
from .consultations import (  # noqa: F401
    Comment,
    CommentGroup,
    CommentModeration,
    Consultation,
    ConsultationFeedback,
    ConsultationKind,
    ConsultationQuestion,
    ConsultationReview,
    ConsultationSection,
    ConsultationStatus,
    Disposition,
    FeedbackStatus,
    QuestionKind,
    ReviewDecision,
    ReviewTarget,
)
from .messages import (  # noqa: F401
    Message,
    MessageKind,
    MessageReply,
    MessageStatus,
    MessageTransfer,
    Rating,
    ReplyDeadlineRule,
    ReplyStatus,
)
