"""The search index's bookkeeping and the user dictionary.

The full-text tables themselves (SQLite FTS5 virtual tables, migration 0002;
PostgreSQL posting-list segments, migration 0006) are reached only through
:mod:`gongkai.search.backends`.
"""

from __future__ import annotations

from django.db import models


class SearchTerm(models.Model):
    """A word of the user dictionary, so that queries are cut the way offices write."""

    word = models.CharField("词语", max_length=40, unique=True,
                            help_text="例如“六稳六保”“放管服”；检索时整体切分，不会被拆成单字。")
    freq = models.PositiveIntegerField("词频", null=True, blank=True,
                                       help_text="一般留空，由系统估算；切分不正确时可填写较大的数字。")
    note = models.CharField("说明", max_length=200, blank=True)
    is_active = models.BooleanField("启用", default=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "检索用户词典词语"
        verbose_name_plural = "检索用户词典"
        ordering = ["word"]

    def __str__(self) -> str:
        return self.word


class SearchDoc(models.Model):
    """One public record in the index; ``key`` is the full-text row id and orders results.

    ``key`` packs (现行有效, 发布时间, serial) so that the engines can return
    matches best-first by row id and stop after a page: see
    :func:`gongkai.search.index.doc_key`. A row exists only while the record is
    public; a full-text row without one is a leftover of an update and is
    never counted.
    """

    key = models.BigIntegerField("排序键", primary_key=True)
    record = models.OneToOneField("records.Record", verbose_name="信息", on_delete=models.CASCADE,
                                  related_name="search_doc", db_constraint=False)
    organ_id = models.BigIntegerField("发布机构", db_index=True)
    genre_id = models.BigIntegerField("体裁")
    topic_id = models.BigIntegerField("主题分类", null=True)
    doc_no = models.CharField("发文字号", max_length=60, blank=True, db_index=True)
    year = models.PositiveSmallIntegerField("年份")
    in_force = models.BooleanField("现行有效")
    validity = models.CharField("有效性", max_length=20)
    valid_until = models.DateField("有效期至", null=True, db_index=True)
    published_at = models.DateTimeField("发布日期")
    is_interpretation = models.BooleanField("政策解读", default=False)
    interprets_id = models.BigIntegerField("解读的文件", null=True)
    title_grams = models.PositiveIntegerField("标题长度", default=0)

    class Meta:
        verbose_name = "检索索引条目"
        verbose_name_plural = "检索索引条目"

    def __str__(self) -> str:
        return f"{self.record_id} → {self.key}"


class SearchState(models.Model):
    """Single row: the serial for new keys, whether the index has leftovers to ignore, and its generation.

    ``generation`` changes (to a new random value) in the same transaction as
    every write to the index, so a process can tell whether its in-memory copy
    of the facet columns (:mod:`gongkai.search.doctable`) is still current.
    """

    serial = models.BigIntegerField("序号", default=0)
    generation = models.CharField("索引版本", max_length=32, blank=True, default="")
    orphans = models.BigIntegerField("遗留全文行", default=0)
    expiry_swept_on = models.DateField("有效期检查日期", null=True)
    items_swept_on = models.DateField("公众参与条目检查日期", null=True)

    class Meta:
        verbose_name = "检索索引状态"
        verbose_name_plural = "检索索引状态"

    def __str__(self) -> str:
        return f"serial {self.serial}"


class SearchItem(models.Model):
    """One public item of another kind than a record (意见征集, 会议活动, 留言, 政策问答) in the site search.

    Apps above search fill these rows through :mod:`gongkai.search.items` from their
    own public door only; the search page asks that door again before it counts or
    shows an item. ``norm`` is the normalised text (:func:`gongkai.search.text.normalize`
    of each field, fields joined by a new line, which no query piece contains), matched
    by substring: the same recall guarantee as for records.
    """

    kind = models.CharField("类型", max_length=20)
    ref_id = models.BigIntegerField("对象编号")
    organ_id = models.BigIntegerField("机关", null=True, db_index=True)
    title = models.CharField("标题", max_length=300)
    body = models.TextField("正文（纯文本）", blank=True)
    meta = models.CharField("说明", max_length=200, blank=True)
    url = models.CharField("地址", max_length=300)
    date = models.DateTimeField("日期")
    title_norm = models.TextField("规范化标题")
    norm = models.TextField("规范化全文")

    class Meta:
        verbose_name = "检索索引条目（公众参与）"
        verbose_name_plural = "检索索引条目（公众参与）"
        constraints = [models.UniqueConstraint(fields=["kind", "ref_id"], name="search_item_kind_ref")]
        indexes = [models.Index(fields=["kind", "date"], name="search_item_kind_date")]

    def __str__(self) -> str:
        return f"{self.kind}:{self.ref_id}"
