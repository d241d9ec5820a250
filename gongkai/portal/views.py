"""Public pages. Every record shown here comes through Record.objects.public() (see selectors)."""

from __future__ import annotations

import io

import segno
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_safe

from gongkai.participation.selectors import answers as answer_selectors
from gongkai.participation.selectors import consultations as consultation_selectors
from gongkai.records import textdiff, versions
from gongkai.records.models import GazetteIssue, Genre
from gongkai.records.text import html_to_text
from gongkai.search.query import record_ids_matching

from . import a11y, selectors, site
from .cache import A11Y_COOKIE, cached_count, page_cache_exempt
from .forms import GazetteFilterForm, PolicyFilterForm, RecordFilterForm
from .models import HOME_BLOCKS, ColumnKind, ColumnPage, SiteSettings

PER_PAGE = 20


class _CountedPaginator(Paginator):
    """A paginator whose total is shared by every page of the same list (see cache.cached_count)."""

    def __init__(self, *args, count_key: tuple, **kwargs):
        super().__init__(*args, **kwargs)
        self.count_key = count_key

    @cached_property
    def count(self) -> int:
        return cached_count(self.count_key, self.object_list.count)


def _page(request, qs, per_page: int = PER_PAGE):
    params = tuple(sorted((k, v) for k, v in request.GET.items() if k not in ("page", "sort")))
    key = (request.resolver_match.view_name, tuple(sorted(request.resolver_match.kwargs.items())), params)
    return _CountedPaginator(qs, per_page, count_key=key).get_page(request.GET.get("page"))


def _organ_or_404(code: str):
    organ = selectors.public_organ(code)
    if organ is None:
        raise Http404("该机关不存在或已停用。")
    return organ


def _column_context(organ, current: str) -> dict:
    """What every page of an organ's 专栏 shares: the organ, its catalog tree, the current tab."""
    catalog = selectors.organ_catalog(organ)
    return {"organ": organ, "catalog": catalog, "tree": selectors.catalog_tree(catalog), "current": current}


# --- home ------------------------------------------------------------------------


@require_safe
def home(request):
    host_organ = site.host_organ(request)
    if host_organ is not None:  # the organ's own host name: its subsite is the home page
        return organ(request, host_organ.code)
    latest = selectors.listed(selectors.public_records())[:10]
    policies = selectors.listed(selectors.public_records().filter(genre__is_policy=True).in_force())[:6]
    interpretations = selectors.listed(selectors.public_records().filter(genre__is_interpretation=True))[:6]
    return render(request, "portal/home.html", {
        "organs": selectors.organ_tree(), "latest": latest, "policies": policies,
        "interpretations": interpretations,
    })


# --- an organ's 政府信息公开专栏 -------------------------------------------------------


@require_safe
def organ(request, code: str):
    organ = _organ_or_404(code)
    context = _column_context(organ, "home")
    context.update({
        "blocks": _home_blocks(organ, site.site_for(organ, request=request).blocks),
        "children": list(selectors.active_organs().filter(parent=organ).order_by("order", "path")),
        "ancestors": [o for o in organ.ancestors() if o.is_active],
        "gazettes": list(organ.gazettes.all()),
    })
    return render(request, "portal/organ.html", context)


def _home_blocks(organ, keys: list[str]) -> list[dict]:
    """The blocks of an organ's subsite home page, in its configured order."""
    records = selectors.public_records().filter(organ=organ)
    records_url = reverse("portal:records")
    blocks = []
    for key in keys:
        if key == "latest":
            items, more = selectors.listed(records)[:10], f"{records_url}?organ={organ.code}"
        elif key == "policies":
            items = selectors.listed(records.filter(genre__is_policy=True).in_force())[:6]
            more = f"{reverse('portal:policies')}?issuer={organ.code}"
        elif key == "interpretations":
            items = selectors.listed(records.filter(genre__is_interpretation=True))[:6]
            more = f"{records_url}?organ={organ.code}&genre=interpretation"
        elif key == "notices":
            items = selectors.listed(records.filter(genre__code="notice"))[:6]
            more = f"{records_url}?organ={organ.code}&genre=notice"
        elif key == "consultations":
            items = list(consultation_selectors.public_consultations(organ=organ)[:6])
            more = f"{reverse('participation:consultations')}?organ={organ.code}"
        else:
            continue
        blocks.append({"key": key, "title": HOME_BLOCKS[key], "items": items, "more": more})
    return blocks


def _column_page(organ, kind: ColumnKind) -> ColumnPage | None:
    return ColumnPage.objects.filter(organ=organ, kind=kind).first()


@require_safe
def organ_guide(request, code: str):
    organ = _organ_or_404(code)
    context = _column_context(organ, "guide")
    context.update({
        "page": _column_page(organ, ColumnKind.GUIDE),
        "documents": selectors.records_in_entry_codes(organ, ["guide"])[:20],
        "parent_organ": organ.parent if organ.parent_id and organ.parent.is_active else None,
    })
    return render(request, "portal/organ_guide.html", context)


@require_safe
def organ_rules(request, code: str):
    organ = _organ_or_404(code)
    context = _column_context(organ, "rules")
    context.update({
        "page": _column_page(organ, ColumnKind.RULES),
        "documents": selectors.records_in_entry_codes(organ, ["rules"])[:50],
    })
    return render(request, "portal/organ_rules.html", context)


@require_safe
def organ_catalog(request, code: str):
    organ = _organ_or_404(code)
    context = _column_context(organ, "catalog")
    context["tree"] = selectors.catalog_tree(context["catalog"], with_counts=True)
    return render(request, "portal/organ_catalog.html", context)


@require_safe
def organ_reports(request, code: str):
    organ = _organ_or_404(code)
    context = _column_context(organ, "reports")
    context["page"] = _page(request, selectors.records_in_entry_codes(organ, ["annual_reports"], ["annual_report"]))
    return render(request, "portal/organ_reports.html", context)


@require_safe
def organ_apply(request, code: str):
    organ = _organ_or_404(code)
    context = _column_context(organ, "apply")
    context["page"] = _column_page(organ, ColumnKind.APPLY)
    return render(request, "portal/organ_apply.html", context)


@require_safe
def catalog_entry(request, pk: int):
    entry = selectors.CatalogEntry.objects.select_related("catalog__organ").filter(pk=pk).first()
    if entry is None or entry.catalog.organ is None or not entry.catalog.organ.is_active:
        raise Http404("该栏目不存在。")
    organ = entry.catalog.organ
    context = _column_context(organ, "catalog")
    ids = selectors.descendant_ids(context["tree"], entry.pk)
    form = RecordFilterForm(request.GET or None, organs=())
    sort = form.cleaned_data.get("sort") if form.is_valid() else ""
    flt = selectors.RecordFilter(entry_ids=ids, sort=sort or "-published")
    context.update({"entry": entry, "page": _page(request, selectors.filtered_records(flt)), "sort": flt.sort,
                    "sort_choices": RecordFilterForm.base_fields["sort"].choices})
    return render(request, "portal/catalog_entry.html", context)


# --- lists ---------------------------------------------------------------------------


@require_safe
def record_list(request):
    organs = list(selectors.active_organs().only("pk", "code", "name", "path"))
    form = RecordFilterForm(request.GET or None, organs=organs)
    data = form.cleaned_data if form.is_valid() else getattr(form, "cleaned_data", {})
    by_code = {o.code: o for o in organs}
    flt = selectors.RecordFilter(
        organ=by_code.get(data.get("organ") or ""),
        topic_code=data.get("topic") or "",
        genre_code=data.get("genre") or "",
        published_year=data.get("year"),
        validity=data.get("validity") or "",
        sort=data.get("sort") or "-published",
    )
    genre = Genre.objects.filter(code=flt.genre_code).first() if flt.genre_code else None
    title = f"{flt.organ.name}公开信息" if flt.organ else (genre.name if genre else "公开信息")
    return render(request, "portal/record_list.html", {
        "form": form, "page": _page(request, selectors.filtered_records(flt)), "title": title, "filter": flt,
    })


@require_safe
def policies(request):
    """政策文件库: every 规章 and 行政规范性文件 across organs, 现行有效 by default."""
    organs = list(selectors.active_organs().only("pk", "code", "name", "path"))
    form = PolicyFilterForm(request.GET or None, organs=organs)
    data = form.cleaned_data if form.is_valid() else getattr(form, "cleaned_data", {})
    validity = data.get("validity") or "in_force"
    q = (data.get("q") or "").strip()
    flt = selectors.RecordFilter(
        issuer={o.code: o for o in organs}.get(data.get("issuer") or ""),
        genre_code=data.get("genre") or "",
        topic_code=data.get("topic") or "",
        written_year=data.get("year"),
        validity="" if validity == "all" else validity,
        policy_only=True,
        sort=data.get("sort") or "-published",
        record_ids=record_ids_matching(q) if q else None,
    )
    form.with_counts(selectors.policy_facet_counts(flt))
    qs = selectors.with_public_successor(selectors.filtered_records(flt))
    return render(request, "portal/policies.html", {
        "form": form, "page": _page(request, qs), "validity": validity, "q": q,
    })


# --- a record ------------------------------------------------------------------------


def _record_or_gone(request, pk: int):
    record = selectors.record_detail(pk)
    if record is not None:
        return record, None
    withdrawn = selectors.withdrawn_notice(pk)
    if withdrawn is not None:
        response = render(request, "portal/withdrawn.html", {"record": withdrawn}, status=410)
        response["X-Robots-Tag"] = "noindex"
        return None, response
    raise Http404("该信息不存在或尚未公开。")


@require_safe
def record_versions_diff(request, pk: int, a: int, b: int):
    """What changed between two published versions of a public record (更正、修订)."""
    rec = selectors.record_detail(pk)
    if rec is None:
        raise Http404("该信息不存在或尚未公开。")
    by_number = {v.number: v for v in versions.public_versions(rec)}
    old, new = by_number.get(a), by_number.get(b)
    if old is None or new is None or a == b:
        raise Http404("该版本不存在。")
    if a > b:
        old, new = new, old
    return render(request, "portal/record_diff.html", {
        "record": rec, "old": old, "new": new,
        "title_diff": textdiff.diff_segments(old.title, new.title),
        "body_diff": textdiff.diff_segments(html_to_text(old.body), html_to_text(new.body)),
    })


@require_safe
def record(request, pk: int):
    rec, gone = _record_or_gone(request, pk)
    if gone is not None:
        return gone
    context = {"record": rec, **selectors.record_related(rec), "versions": versions.public_versions(rec, brief=True),
               "qa_entries": list(answer_selectors.answers_for_record(rec)[:20]),
               "absolute_url": request.build_absolute_uri(rec.get_absolute_url())}
    if context["qa_entries"]:  # the record's 政策问答 as schema.org FAQPage for search engines
        context["qa_jsonld"] = answer_selectors.faq_jsonld(context["qa_entries"], request)
    return render(request, "portal/record.html", context)


@require_safe
def record_print(request, pk: int):
    rec, gone = _record_or_gone(request, pk)
    if gone is not None:
        return gone
    context = {"record": rec, **selectors.record_related(rec),
               "absolute_url": request.build_absolute_uri(rec.get_absolute_url())}
    return render(request, "portal/record_print.html", context)


@require_safe
def record_qr(request, pk: int):
    rec = selectors.record_detail(pk)
    if rec is None:
        raise Http404
    qr = segno.make(request.build_absolute_uri(rec.get_absolute_url()), error="m")
    out = io.BytesIO()
    qr.save(out, kind="svg", scale=4, border=2, title=f"{rec.title}（二维码）", encoding="utf-8")
    return HttpResponse(out.getvalue(), content_type="image/svg+xml")


@require_safe
def record_feedback(request, pk: int):
    rec, gone = _record_or_gone(request, pk)
    if gone is not None:
        return gone
    # 纠错/留言 is the message box's form, carrying the record (the form shows the organ's other channels too).
    return redirect(f"{reverse('participation:message_create')}?record={rec.pk}")


@require_safe
@page_cache_exempt
def attachment(request, pk: int):
    att = selectors.public_attachment(pk)
    if att is None:
        raise Http404("附件不存在或不公开。")
    response = FileResponse(att.file.open("rb"), as_attachment=True, filename=att.name, content_type=att.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "public, no-cache"
    return response


# --- 政府公报 -------------------------------------------------------------------------


@require_safe
def gazettes(request):
    issues = selectors.public_issues().order_by("-issued_on", "-pk")
    form = GazetteFilterForm(request.GET or None, years=issues.values_list("year", flat=True).distinct())
    raw_year = request.GET.get("year", "")
    year = int(raw_year) if raw_year.isdigit() and len(raw_year) == 4 else None  # a year without issues: none
    organ = None
    if request.GET.get("organ"):
        organ = _organ_or_404(request.GET["organ"])
        issues = issues.filter(gazette__organ=organ)
    if year:
        issues = issues.filter(year=year)
    return render(request, "portal/gazettes.html", {"form": form, "page": _page(request, issues), "organ": organ})


@require_safe
def gazette_issue(request, pk: int):
    issue = selectors.public_issues().filter(pk=pk).first()
    if issue is None:
        raise Http404("该期公报不存在或尚未发布。")
    sections: list[tuple[str, list]] = []
    for item in selectors.issue_items(issue):
        if not sections or sections[-1][0] != item.section:
            sections.append((item.section, []))
        sections[-1][1].append(item)
    return render(request, "portal/gazette_issue.html", {"issue": issue, "sections": sections})


@require_safe
@page_cache_exempt
def gazette_pdf(request, pk: int):
    issue = selectors.public_issues().filter(pk=pk).first()
    if issue is None or not issue.pdf:
        raise Http404("该期公报没有PDF文件。")
    name = f"{issue.gazette.name}{issue.year}年第{issue.number}期.pdf"
    response = FileResponse(issue.pdf.open("rb"), as_attachment=True, filename=name, content_type="application/pdf")
    response["Cache-Control"] = "public, no-cache"
    return response


# --- 适老化/无障碍, robots ------------------------------------------------------------------


@require_safe
@page_cache_exempt
def accessibility(request):
    """Settings page (and the no-JavaScript switch): stores the choices in a cookie."""
    nxt = request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        nxt = ""
    if "preset" in request.GET or "save" in request.GET:
        if request.GET.get("preset") == "on":
            modes = a11y.PRESET
        elif request.GET.get("preset") == "off":
            modes = ()
        else:
            modes = [m for m in a11y.MODES if request.GET.get(m) == "on"]
        response = HttpResponseRedirect(nxt or reverse("portal:accessibility"))
        value = a11y.serialize(modes)
        if value:
            response.set_cookie(A11Y_COOKIE, value, max_age=365 * 24 * 3600, samesite="Lax")
        else:
            response.delete_cookie(A11Y_COOKIE, samesite="Lax")
        return response
    return render(request, "portal/accessibility.html", {
        "modes": a11y.MODES, "current": a11y.modes_from_request(request), "next": nxt,
    })


@require_safe
def site_map(request):
    """网站地图: every column of the site as an HTML page (the XML sitemap is for search engines)."""
    return render(request, "portal/site_map.html", {
        "organs": selectors.organ_tree(), "sections": _site_map_sections(),
    })


def _site_map_sections() -> list[tuple[str, list[tuple[str, str]]]]:
    return [
        ("信息公开", [("政策文件库", reverse("portal:policies")),
                  ("政策解读", reverse("portal:records") + "?genre=interpretation"),
                  ("全部公开信息", reverse("portal:records")), ("政府公报", reverse("portal:gazettes")),
                  ("工作要点", reverse("workplans:public_plans")), ("站内搜索", reverse("search:results"))]),
        ("互动交流", [("意见征集", reverse("participation:consultations")),
                  ("会议开放", reverse("participation:meetings")),
                  ("重大行政决策事项目录", reverse("participation:decision_catalogs")),
                  ("留言咨询", reverse("participation:messages")), ("政策问答", reverse("participation:qa"))]),
        ("依申请公开", [("提交申请", reverse("applications:apply")), ("查询办理进度", reverse("applications:track"))]),
        ("服务", [("政务公开地图", reverse("participation:map")), ("订阅政策信息", reverse("participation:subscribe")),
                ("开放数据", reverse("open_data")), ("数据接口说明", reverse("api_docs")),
                ("RSS订阅", reverse("portal:feed_rss")), ("无障碍声明与设置", reverse("portal:accessibility")),
                ("XML网站地图（供搜索引擎）", reverse("portal:sitemap_index"))]),
    ]


@require_safe
def site_emblem(request, pk: int):
    """A site's emblem image (media is not served directly; see MEDIA_URL in settings)."""
    row = SiteSettings.objects.filter(pk=pk).exclude(emblem="").first()
    if row is None:
        raise Http404("标志图片不存在。")
    response = FileResponse(row.emblem.open("rb"), content_type=_image_type(row.emblem.name))
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "public, max-age=3600"
    return response


def _image_type(name: str) -> str:
    return "image/png" if name.lower().endswith(".png") else "image/jpeg"


@require_safe
def site_theme(request):
    """The colour accent of a subsite as a stylesheet (no inline styles: see the CSP)."""
    colour = request.GET.get("c", "")
    if len(colour) != 6 or any(ch not in "0123456789abcdefABCDEF" for ch in colour):
        raise Http404("颜色无效。")
    dark = "".join(f"{int(int(colour[i:i + 2], 16) * 0.75):02x}" for i in (0, 2, 4))
    css = f":root {{ --red: #{colour.lower()}; --red-dark: #{dark}; }}\n"
    response = HttpResponse(css, content_type="text/css; charset=utf-8")
    response["Cache-Control"] = "public, max-age=86400"
    return response


@require_safe
def robots(request):
    sitemap = request.build_absolute_uri(reverse("portal:sitemap_index"))
    lines = ["User-agent: *", "Disallow: /workspace/", "Disallow: /admin/", "Disallow: /attachment/",
             "Disallow: /a11y/", "Allow: /", f"Sitemap: {sitemap}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


def error_403(request, exception=None):
    return render(request, "403.html", {"message": str(exception) if exception else ""}, status=403)


def error_404(request, exception=None):
    message = ""
    if exception is not None and exception.args and isinstance(exception.args[0], str):
        message = exception.args[0]
        if not any("\u4e00" <= ch <= "\u9fff" for ch in message):
            message = ""  # Django's own English messages are not for the public
    return render(request, "404.html", {"message": message}, status=404)


def error_500(request):
    return render(request, "500.html", status=500)


def gazette_issue_url(issue: GazetteIssue) -> str:
    return reverse("portal:gazette_issue", kwargs={"pk": issue.pk})
