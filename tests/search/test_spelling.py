"""“您是不是要找” from the index's own words, a 发文字号 typed without its marks, the empty page's width."""

import rjieba
from django.urls import reverse

from gongkai.search import query
from gongkai.search.spelling import Vocabulary

_JIEBA = rjieba.Jieba()
_JIEBA.add_word("政务公开", None, None)


def cut(text):
    return _JIEBA.cut(text, False)


def test_nearest_word_of_the_same_length_wins_by_weight():
    vocab = Vocabulary.build(["保定市政务公开工作要点", "政务公开年度报告", "年度报告"], cut, ["政府信息公开"])
    assert vocab.nearest("征务公开") == "政务公开"
    assert vocab.nearest("政务公开") is None  # known words are left alone
    assert vocab.nearest("政府信息公") == "政府信息公开"  # a character left out
    assert vocab.correct(["征务公开工作"], cut) == ["政务公开工作"]
    assert vocab.correct(["年度报高", "2024"], cut) == ["年度报告", "2024"]
    assert vocab.correct(["完全无关的词"], cut) == ["完全无关的词"]


def test_results_page_offers_the_corrected_query(client, publish):
    rec = publish(title="保定市2024年政务公开工作要点", body="<p>推进基层政务公开。</p>")
    query._vocabulary = None
    body = client.get(reverse("search:results"), {"q": "征务公开"}).content.decode()
    assert "您是不是要找" in body and "q=%E6%94%BF%E5%8A%A1%E5%85%AC%E5%BC%80" in body  # 政务公开
    empty = client.get(reverse("search:results"), {"q": "无此词语"}).content.decode()
    assert "没有找到" in empty and "search-layout-full" in empty  # no facets: the help uses the whole width
    api = client.get(reverse("search:api"), {"q": "征务公开"}).json()
    assert api["did_you_mean"] == {"query": "政务公开", "count": 1}
    found = client.get(reverse("search:results"), {"q": "政务公开"}).content.decode()
    assert "您是不是要找" not in found
    assert "保定市2024年" in found and rec.get_absolute_url() in found


def test_docno_typed_without_marks_finds_the_document_first(client, publish):
    target = publish(title="关于做好信息公开的通知", doc_no="保政办函〔2021〕15号")
    publish(title="转发保政办函2021年15个事项的说明", body="<p>保政办函2021 15</p>")
    for typed in ("保政办函2021 15", "保政办函(2021)15", "保政办函2021-15"):
        result = query.search(typed)
        assert result.docno == "保政办函〔2021〕15号", typed
        assert result.hits and result.hits[0].record == target, typed
    assert query.search("工作要点 2021 3").docno == ""  # no such number: a word search


def test_phrase_across_punctuation_ranks_above_words_apart(publish):
    quoted = publish(title="2025年部门预算及“三公”经费情况说明", body="<p>说明。</p>")
    apart = publish(title="三公消费管理与经费使用", body="<p>三公和经费分列。</p>")
    exact = publish(title="压减三公经费的通知", body="<p>压减。</p>")
    result = query.search("三公经费")
    found = [h.record for h in result.hits]
    assert found[0] == exact  # the phrase as typed first
    assert quoted in found and apart in found
    assert found.index(quoted) < found.index(apart)  # “三公”经费 above the words apart
    assert result.exact_total == 2


def test_the_vocabulary_is_built_again_after_an_index_change_only_when_old_or_when_the_dictionary_changed(
        publish, monkeypatch):
    from gongkai.search.models import SearchTerm

    publish(title="保定市2024年政务公开工作要点")
    query._vocabulary = None
    first = query.vocabulary()
    assert "政务公开" in first and "秸秆" not in first
    publish(title="秸秆禁烧工作的通知")  # a new index generation
    assert query.vocabulary() is first  # young: kept (it only suggests; counts are searched again)
    monkeypatch.setattr(query, "VOCABULARY_SECONDS", 0)
    aged = query.vocabulary()
    assert aged is not first and "秸秆" in aged
    monkeypatch.setattr(query, "VOCABULARY_SECONDS", 600)
    assert query.vocabulary() is aged
    SearchTerm.objects.create(word="河湖长制", freq=100)
    assert "河湖长制" in query.vocabulary()  # the dictionary changed: at once
