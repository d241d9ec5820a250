"""Participation items (意见征集, 会议活动, 留言答复, 政策问答) in the site search.

- The index holds only what each model's public() door lets through (filled by the models'
  own saves through participation.search_index), and never a sender's name or contact.
- One door: an item made non-public after it was indexed, even behind the index's back
  (a queryset update, no signal), is gone from counts, pages, the JSON and /qa/ at once.
- The recall guarantee of the record search: every item holding every piece of a query
  as a substring of its normalised text is counted and on some page (hypothesis).
"""

import datetime as dt
import random

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai.core.models import Role
from gongkai.ops.bench.search import seed_sentences
from gongkai.participation.models import (
    Answer,
    AnswerStatus,
    Consultation,
    ConsultationStatus,
    Meeting,
    MeetingStatus,
    Message,
    MessageKind,
)
from gongkai.participation.services import answers as answer_svc
from gongkai.participation.services import messages as message_svc
from gongkai.search import items, text
from gongkai.search.models import SearchItem, SearchState
from tests import factories

pytestmark = pytest.mark.django_db

PHONE, NAME = "13912345678", "王小明"


def consultation(organ, title, *, status=ConsultationStatus.PUBLISHED, **fields):
    today = timezone.localdate()
    data = {"purpose": "为规范管理，拟制定本办法，现公开征求意见。", "draft_text": "<p>第一条 为了规范管理，制定本办法。</p>",
            "starts_on": today - dt.timedelta(days=3), "ends_on": today + dt.timedelta(days=27), "status": status,
            "published_at": timezone.now() - dt.timedelta(days=3) if status == ConsultationStatus.PUBLISHED else None}
    data.update(fields)
    return Consultation.objects.create(organ=organ, title=title, **data)


def meeting(organ, title, *, status=MeetingStatus.PUBLISHED, **fields):
    data = {"kind": "open_day", "starts_at": timezone.now() + dt.timedelta(days=5), "place": "市民中心三楼会议室",
            "status": status, "published_at": timezone.now() - dt.timedelta(days=1) if status == MeetingStatus.PUBLISHED else None}
    data.update(fields)
    return Meeting.objects.create(organ=organ, title=title, **data)


@pytest.fixture
def people(organ):
    return factories.member(organ, Role.EDITOR, "items_handler"), factories.member(organ, Role.REVIEWER, "items_reviewer")


def message(organ, people, subject, *, publish=True, body=None):
    handler, approver = people
    m = message_svc.message_submit(organ=organ, subject=subject, kind=MessageKind.CONSULT, may_publish=True,
                                   body=body or f"我叫{NAME}，电话{PHONE}，想问{subject}的办理条件。",
                                   name=NAME, phone=PHONE, email="marker-contact@example.org")
    message_svc.message_reply_draft(actor=handler, message=m, body=f"{NAME}您好：{subject}的答复是可以网上办理。")
    message_svc.message_reply_submit(actor=handler, message=m)
    message_svc.message_reply_review(actor=approver, message=m, approve=True, publish=publish)
    m.refresh_from_db()
    return m


def answer(organ, people, question, *, approve=True, **data):
    handler, approver = people
    a = answer_svc.answer_create(actor=handler, organ=organ, data={"question": question, "answer": f"关于{question}，答复如下。", **data})
    answer_svc.answer_submit(actor=handler, answer=a)
    if approve:
        answer_svc.answer_review(actor=approver, answer=a, approve=True)
    a.refresh_from_db()
    return a


@pytest.fixture
def world(organ, people):
    return {
        "consultation": consultation(organ, "关于《保定市养犬管理办法（征求意见稿）》公开征求意见的公告"),
        "meeting": meeting(organ, "2026年政务开放日·走进养犬管理服务中心", topics="养犬登记\n犬只免疫"),
        "message": message(organ, people, "养犬登记"),
        "qa": answer(organ, people, "养犬登记需要哪些材料？", phrasings="办狗证要带什么"),
        "hidden": [
            consultation(organ, "养犬草稿征集", status=ConsultationStatus.DRAFT),
            meeting(organ, "养犬草稿会议", status=MeetingStatus.DRAFT),
            message(organ, people, "养犬不公开留言", publish=False),
            answer(organ, people, "养犬待审核问答", approve=False),
            answer(organ, people, "养犬内部口径", is_public=False),
        ],
    }


def indexed(kind):
    return set(SearchItem.objects.filter(kind=kind).values_list("ref_id", flat=True))


def test_the_four_kinds_are_registered():
    assert [k.name for k in items.kinds()] == ["consultation", "meeting", "message", "qa"]
    assert [k.label for k in items.kinds()] == ["意见征集", "会议活动", "留言答复", "政策问答"]


def test_saves_index_public_items_only_and_no_contact_data(world):
    for kind in ("consultation", "meeting", "message", "qa"):
        assert indexed(kind) == {world[kind].pk}, kind
    for row in SearchItem.objects.all():
        for value in (row.title, row.body, row.meta, row.norm):
            assert PHONE not in value and NAME not in value and "marker-contact" not in value
    assert items.items_check() == {k: {"missing": [], "extra": []} for k in ("consultation", "meeting", "message", "qa")}


def test_search_counts_each_kind_and_lists_one_kind(world):
    result = items.search_items("养犬")
    assert result.counts == {"consultation": 1, "meeting": 1, "message": 1, "qa": 1}
    only = items.search_items("养犬", kind="qa")
    assert only.total == 1 and [h.ref_id for h in only.hits] == [world["qa"].pk]
    assert only.hits[0].kind_label == "政策问答"
    assert ("养犬", True) in only.hits[0].title.parts


def test_title_hits_rank_above_text_hits(organ, people):
    in_text = answer(organ, people, "怎样办理登记", answer="养老保险关系转移接续可以网上办理。")
    in_title = answer(organ, people, "养老保险关系怎样转移？")
    assert [h.ref_id for h in items.search_items("养老保险", kind="qa").hits] == [in_title.pk, in_text.pk]
    assert [h.tier for h in items.search_items("养老保险", kind="qa").hits] == [1, 3]


def test_results_page_shows_kind_tabs_and_items(client, world):
    html = client.get(reverse("search:results"), {"q": "养犬"}).content.decode()
    assert "公众参与中的结果" in html
    for label in ("意见征集", "会议活动", "留言答复", "政策问答"):
        assert label in html
    assert world["consultation"].get_absolute_url() in html
    assert "<mark>养犬</mark>" in html
    assert "草稿" not in html and "不公开留言" not in html and "待审核问答" not in html and "内部口径" not in html
    assert PHONE not in html and NAME not in html

    page = client.get(reverse("search:results"), {"q": "养犬", "kind": "meeting"}).content.decode()
    assert "找到 <strong>1</strong> 条会议活动" in page
    assert world["meeting"].get_absolute_url() in page
    assert world["consultation"].get_absolute_url() not in page


def test_json_lists_one_kind(client, world):
    data = client.get(reverse("search:api"), {"q": "养犬登记", "kind": "message"}).json()
    assert data["participation"]["total"] == 1
    assert data["participation"]["results"][0]["url"] == world["message"].get_absolute_url()
    assert data["participation"]["results"][0]["kind_label"] == "留言答复"
    every = client.get(reverse("search:api"), {"q": "养犬登记"}).json()
    assert every["participation"]["counts"]["message"] == 1
    assert "total" in every and "facets" in every  # the records' part is unchanged


def test_bad_kind_and_page_are_ignored(client, world):
    response = client.get(reverse("search:results"), {"q": "养犬", "kind": "<script>", "page": "x"})
    assert response.status_code == 200
    assert "公众参与中的结果" in response.content.decode()


HIDE = {
    "consultation": lambda o: Consultation.objects.filter(pk=o.pk).update(status=ConsultationStatus.WITHDRAWN,
                                                                          withdrawal_reason="撤回"),
    "meeting": lambda o: Meeting.objects.filter(pk=o.pk).update(status=MeetingStatus.DRAFT),
    "message": lambda o: Message.objects.filter(pk=o.pk).update(hidden=True, hidden_reason="不宜公开"),
    "qa": lambda o: Answer.objects.filter(pk=o.pk).update(status=AnswerStatus.FLAGGED, flag_reason="依据已废止"),
}


@pytest.mark.parametrize("kind", sorted(HIDE))
def test_one_door_item_made_non_public_behind_the_index_is_gone_at_once(client, world, kind):
    obj = world[kind]
    assert items.search_items("养犬", kind=kind).total == 1
    HIDE[kind](obj)  # a queryset update: no signal, the index row is still there
    assert obj.pk in indexed(kind)
    result = items.search_items("养犬")
    assert kind not in result.counts
    assert items.search_items("养犬", kind=kind).total == 0
    html = client.get(reverse("search:results"), {"q": "养犬", "kind": kind}).content.decode()
    assert obj.get_absolute_url() not in html
    assert obj.get_absolute_url() not in client.get(reverse("search:results"), {"q": "养犬"}).content.decode()
    data = client.get(reverse("search:api"), {"q": "养犬"}).json()
    assert kind not in data["participation"]["counts"]


def test_services_take_items_out_of_the_index(world, people):
    handler, approver = people
    message_svc.message_set_hidden(actor=approver, message=world["message"], hidden=True, reason="不宜公开")
    answer_svc.answer_retire(actor=handler, answer=world["qa"], reason="停用")
    assert indexed("message") == set() and indexed("qa") == set()


def test_deactivated_organ_takes_its_items_out(world, organ):
    organ.is_active = False
    organ.save()
    assert SearchItem.objects.count() == 0
    assert items.search_items("养犬").counts == {}


def test_qa_page_searches_through_the_site_search(client, organ, people):
    in_text = answer(organ, people, "怎样办理登记", answer="养老保险关系转移接续可以网上办理。")
    in_title = answer(organ, people, "养老保险关系怎样转移？")
    answer(organ, people, "公积金怎么提取？")
    html = client.get(reverse("participation:qa"), {"q": "养老保险"}).content.decode()
    assert html.index(in_title.get_absolute_url()) < html.index(in_text.get_absolute_url())
    assert "公积金怎么提取" not in html
    Answer.objects.filter(pk=in_title.pk).update(is_public=False)  # behind the index's back
    html = client.get(reverse("participation:qa"), {"q": "养老保险"}).content.decode()
    assert in_title.get_absolute_url() not in html and in_text.get_absolute_url() in html


def test_reindex_rebuilds_and_checks_items(world, capsys):
    SearchItem.objects.all().delete()
    with pytest.raises(SystemExit):
        call_command("reindex", "--check")
    call_command("reindex", verbosity=0)
    call_command("reindex", "--check")
    assert indexed("qa") == {world["qa"].pk}


def test_dated_entry_enters_on_its_first_day(organ, people):
    today = timezone.localdate()
    later = answer(organ, people, "明天起施行的养犬问答", valid_from=today + dt.timedelta(days=1))
    assert indexed("qa") == set()
    Answer.objects.filter(pk=later.pk).update(valid_from=today)  # as if its first day had come
    SearchState.objects.update_or_create(pk=1, defaults={"items_swept_on": today - dt.timedelta(days=1)})
    assert items.search_items("养犬问答").counts == {"qa": 1}  # the first search of the day sweeps
    assert indexed("qa") == {later.pk}
    assert items.items_sweep(today=today) == 0  # once a day


@pytest.fixture
def corpus(organ, people):
    rng = random.Random(17)
    sentences = seed_sentences()
    docs = []
    for i in range(12):
        title = rng.choice(sentences)[:rng.randint(6, 30)]
        body = "".join(rng.choice(sentences) for _ in range(rng.randint(1, 4)))
        if i % 3 == 0:
            obj = consultation(organ, title, purpose=body)
            docs.append(("consultation", obj.pk, [title, body]))
        elif i % 3 == 1:
            obj = meeting(organ, title, topics=body)
            docs.append(("meeting", obj.pk, [title, body]))
        else:
            obj = answer(organ, people, title[:300], answer=body)
            docs.append(("qa", obj.pk, [title, obj.answer]))
    consultation(organ, docs[0][2][0], status=ConsultationStatus.DRAFT, purpose=docs[0][2][1])  # never found
    return docs


def all_pages(q, kind, per_page):
    first = items.search_items(q, kind=kind, per_page=per_page, with_snippets=False)
    ids = [h.ref_id for h in first.hits]
    for page in range(2, first.num_pages + 1):
        ids += [h.ref_id for h in items.search_items(q, kind=kind, per_page=per_page, page=page, with_snippets=False).hits]
    return first, ids


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_random_substrings_of_random_items_are_found(corpus, data):
    kind, pk, fields = data.draw(st.sampled_from(corpus))
    source = data.draw(st.sampled_from(fields))
    if len(source) < 2:
        return
    start = data.draw(st.integers(0, len(source) - 2))
    piece = source[start:start + data.draw(st.integers(2, 16))]
    if len(text.normalize(piece)) < 2:
        return
    query = " ".join(piece.split())
    first, ids = all_pages(query, kind, per_page=data.draw(st.sampled_from([2, 5, 50])))
    assert pk in ids
    assert first.total == len(ids) == len(set(ids)) == first.counts[kind]
    norm_pieces = [text.normalize(p) for p in piece.split()]
    truth = {p for k, p, fs in corpus if k == kind and all(any(n in text.normalize(f) for f in fs) for n in norm_pieces)}
    assert truth <= set(ids)
