"""``{% organ_participation organ %}``: an organ's open consultations and coming meetings on its 专栏 page."""

from django import template
from django.db.models import F, Q
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

    # One query for both (every record page asks, and almost none has either); only what the list shows.
    found = list(Consultation.objects.public()
                 .filter(Q(final_record=record) | Q(feedback__record=record))
                 .annotate(feedback_record_id=F("feedback__record_id"))
                 .only("pk", "title", "final_record_id"))
    return {"consultations": [c for c in found if c.final_record_id == record.pk],
            "feedback_of": next((c for c in found if c.feedback_record_id == record.pk), None)}
