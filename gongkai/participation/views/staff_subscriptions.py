"""Staff: subscriber counts per organ, genre, topic and 适用对象, and delivery statistics.

Addresses are personal data: only platform admins (superusers) see them."""

from __future__ import annotations

from django.shortcuts import render

from gongkai.core.permissions import staff_required

from ..models import Subscriber
from ..services import subscriptions as svc


@staff_required
def subscription_stats(request):
    addresses = None
    if request.user.is_superuser:
        addresses = Subscriber.objects.order_by("email").prefetch_related("subscriptions")[:500]
    return render(request, "participation/staff/subscription_stats.html", {
        "counts": svc.subscription_counts(), "deliveries": svc.delivery_stats(),
        "disabled": svc.subscribers_disabled(), "addresses": addresses,
    })
