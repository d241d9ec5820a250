"""The one error participation services raise when an action cannot happen."""


class ParticipationActionError(Exception):
    """An action cannot happen; the message says why, in Chinese, for the person at the screen."""
