"""``{% organ_participation organ %}``: an organ's open consultations and coming meetings on its 专栏 page."""

from django import template
from django.utils import timezone

from ..selectors.consultations import public_consultations
from ..selectors.meetings import public_meetings

register = template.Library()


@register.inclusion_tag("participation/public/_organ_participation.html")
def organ_participation(organ):
    return {
        "organ": organ,
        "consultations": list(public_consultations(phase="open", organ=organ)[:5]),
        "meetings": list(public_meetings(when="upcoming", organ=organ).filter(status="published")[:3]),
        "now": timezone.now(),
    }


@register.inclusion_tag("participation/public/_record_consultations.html")
def record_consultations(record):
    """On a record's page: the public consultations it is the final document of, or the feedback of."""
    from ..models import Consultation

    return {"consultations": list(Consultation.objects.public().filter(final_record=record)),
            "feedback_of": Consultation.objects.public().filter(feedback__record=record).first()}
