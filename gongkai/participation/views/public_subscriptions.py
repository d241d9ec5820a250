"""Public subscription pages: subscribe, confirm (double opt-in), manage and unsubscribe by signed link."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt

from gongkai.core.params import pk_param
from gongkai.core.throttle import Throttle, client_ip
from gongkai.records.models import Genre, Record, Topic

from ..errors import ParticipationActionError
from ..forms.subscriptions import ManageForm, SubscribeForm
from ..models import Frequency, Subscriber, Subscription, SubscriptionKind
from ..services import subscriptions as svc

THROTTLE = Throttle("subscribe", limit=10, window=3600)
# Public pages show no session messages (they would make pages uncacheable): the outcome rides in ?done=.
DONE = {"confirmed": "订阅已确认。以后每封推送邮件里都有管理和退订的链接。", "cancelled": "已退订这一项。",
        "frequency": "已修改发送频率。", "audiences": "已保存“我是”。", "all": "已退订全部。",
        "invalid": "操作无效，请重试。"}


def _back(token: str, done: str):
    return redirect(reverse("participation:subscriptions_manage", args=[token]) + f"?done={done}")


def _initial(request) -> dict:
    """Prefill from the page the citizen came from (?organ=CODE, ?genre=CODE, ?topic=CODE, ?q=…, ?record=ID)."""
    from gongkai.core.models import Organ

    get = request.GET
    initial: dict = {}
    if get.get("record", "").isdigit():
        record = Record.objects.public().filter(pk=int(get["record"])).first()
        if record is not None:
            initial.update(kind=SubscriptionKind.RECORD, record=record.pk, frequency=Frequency.IMMEDIATE)
    elif get.get("organ"):
        organ = Organ.objects.active().filter(code=get["organ"]).first()
        if organ is not None:
            initial.update(kind=SubscriptionKind.ORGAN, organ=organ.pk)
    elif get.get("genre"):
        genre = Genre.objects.filter(code=get["genre"]).first()
        if genre is not None:
            initial.update(kind=SubscriptionKind.GENRE, genre=genre.pk)
    elif get.get("topic"):
        topic = Topic.objects.filter(code=get["topic"]).first()
        if topic is not None:
            initial.update(kind=SubscriptionKind.TOPIC, topic=topic.pk)
    elif get.get("q"):
        initial.update(kind=SubscriptionKind.SEARCH, query=get["q"][:100])
    elif get.get("kind") == SubscriptionKind.AUDIENCE:
        initial.update(kind=SubscriptionKind.AUDIENCE)
    return initial


def subscribe(request):
    form = SubscribeForm(request.POST or None, initial=_initial(request))
    ip = client_ip(request)
    record = None
    record_id = request.POST.get("record") or form.initial.get("record")
    if record_id and str(record_id).isdigit():
        record = Record.objects.public().filter(pk=int(record_id)).first()
    if request.method == "POST":
        if THROTTLE.is_limited(ip):
            return render(request, "participation/public/limited.html", {"nav": "subscriptions"}, status=429)
        if form.is_valid():
            data = form.cleaned_data
            try:
                subscription = svc.subscription_request(
                    email=data["email"], kind=data["kind"], frequency=data["frequency"], organ=data.get("organ"),
                    include_sub_organs=data.get("include_sub_organs", False), genre=data.get("genre"),
                    topic=data.get("topic"), query=data.get("query", ""), record=data.get("record"),
                    audiences=data.get("audiences") or [])
            except ParticipationActionError as exc:
                form.add_error(None, str(exc))
            else:
                THROTTLE.hit(ip)
                return render(request, "participation/public/subscription_sent.html",
                              {"subscription": subscription, "email": subscription.subscriber.email})
    return render(request, "participation/public/subscribe.html", {"form": form, "record": record})


def _from_token(token: str, action: str, model):
    pk = svc.read_token(token, action)
    if pk is None:
        raise Http404("链接无效或已过期。")
    return get_object_or_404(model, pk=pk)


def confirm(request, token: str):
    subscription = _from_token(token, "confirm", Subscription.objects.select_related("subscriber"))
    error = ""
    if request.method == "POST":
        try:
            svc.subscription_confirm(subscription=subscription)
        except ParticipationActionError as exc:
            error = str(exc)
        else:
            return _back(svc.make_token("manage", subscription.subscriber_id), "confirmed")
    return render(request, "participation/public/subscription_confirm.html",
                  {"subscription": subscription, "error": error})


def manage(request, token: str):
    subscriber = _from_token(token, "manage", Subscriber)
    subscriptions = subscriber.subscriptions.filter(cancelled_at__isnull=True).select_related(
        "organ", "genre", "topic", "record")
    form = ManageForm(request.POST or None, initial={"audiences": subscriber.audiences.all()})
    if request.method == "POST":
        action = request.POST.get("action", "")
        target = subscriptions.filter(pk=pk_param(request.POST.get("subscription")) or 0).first()
        done = "invalid"
        if action == "cancel" and target is not None:
            svc.subscription_cancel(subscription=target)
            done = "cancelled"
        elif action == "frequency" and target is not None and request.POST.get("frequency") in Frequency.values:
            svc.subscription_set_frequency(subscription=target, frequency=request.POST["frequency"])
            done = "frequency"
        elif action == "audiences" and form.is_valid():
            svc.subscriber_set_audiences(subscriber=subscriber, audiences=form.cleaned_data["audiences"])
            done = "audiences"
        elif action == "all":
            svc.subscriber_unsubscribe_all(subscriber=subscriber)
            done = "all"
        return _back(token, done)
    return render(request, "participation/public/subscriptions_manage.html", {
        "subscriber": subscriber, "subscriptions": subscriptions, "form": form, "frequencies": Frequency.choices,
        "token": token, "done": DONE.get(request.GET.get("done", ""), "")})


@csrf_exempt  # RFC 8058 one-click: the mail client POSTs "List-Unsubscribe=One-Click" without a form
def unsubscribe(request, token: str):
    subscriber = _from_token(token, "unsubscribe", Subscriber)
    if request.method == "POST":
        svc.subscriber_unsubscribe_all(subscriber=subscriber)
        return render(request, "participation/public/unsubscribed.html", {"subscriber": subscriber})
    return render(request, "participation/public/unsubscribe.html", {"subscriber": subscriber, "token": token,
                                                                   "manage_token": svc.make_token("manage", subscriber.pk)})
