"""Participation models, one module per topic; this package re-exports them."""

from .answers import Answer, AnswerBasis, AnswerStatus  # noqa: F401
from .concerns import (  # noqa: F401
    RESPONSE_GENRE_CODES,
    RESPONSE_GENRES_LABEL,
    CatalogStatus,
    Concern,
    ConcernSource,
    ConcernStatus,
    DecisionCatalog,
    DecisionItem,
    DecisionItemStatus,
    response_genre_q,
)
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
from .meetings import (  # noqa: F401
    AttendeeKind,
    Meeting,
    MeetingKind,
    MeetingStatus,
    Registration,
    RegistrationStatus,
)
from .messages import (  # noqa: F401
    Message,
    MessageKind,
    MessageRating,
    MessageReminder,
    MessageReply,
    MessageStatus,
    MessageTransfer,
    Rating,
    ReminderKind,
    ReplyDeadlineRule,
    ReplyStatus,
)
from .places import Place, PlaceKind  # noqa: F401
from .subscriptions import (  # noqa: F401
    Delivery,
    DeliveryEvent,
    DeliveryStatus,
    DisabledReason,
    Frequency,
    Subscriber,
    Subscription,
    SubscriptionKind,
)
