"""Which site a public page belongs to, and what its header, navigation and footer say.

The platform (the city's 集约化 entry) and every organ's subsite share the templates. A page
belongs to an organ's subsite when the request came in on the organ's own host name, or when
the page is one of the organ's (``/organ/<code>/…``). Each field of the site comes from the
organ's settings, else the nearest ancestor's, else the platform's, else the built-in default.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.core.cache import cache
from django.urls import reverse

from gongkai.core.models import Organ

from .cache import SITE, generations
from .models import DEFAULT_BLOCKS, DEFAULT_NAV, NAV_COLUMNS, SiteSettings

PLATFORM_NAME = "政府信息公开平台"
ROWS_CACHE_KEY = "portal:site-settings:v1"
FRAME_FIELDS = ("sponsor", "organizer", "contact_phone", "contact_email", "site_code", "icp",
                "police_record", "conac_url", "a11y_contact")


@dataclass(frozen=True)
class NavItem:
    key: str
    label: str
    url: str


@dataclass(frozen=True)
class Site:
    organ: Organ | None
    name: str
    home_url: str
    emblem_url: str = ""
    accent: str = ""
    nav: list[NavItem] = field(default_factory=list)
    blocks: list[str] = field(default_factory=list)
    on_own_host: bool = False
    sponsor: str = ""
    organizer: str = ""
    contact_phone: str = ""
    contact_email: str = ""
    site_code: str = ""
    icp: str = ""
    police_record: str = ""
    conac_url: str = ""
    a11y_contact: str = ""

    @property
    def police_record_no(self) -> str:
        """The digits of the 公安机关备案号 (the query link of the national filing system needs them)."""
        return "".join(ch for ch in self.police_record if ch.isdigit())

    @property
    def error_report_url(self) -> str:
        """我为政府网站找错: the message box, addressed to the site's organ."""
        url = reverse("participation:message_create")
        return f"{url}?{urlencode({'organ': self.organ.code})}" if self.organ else url


# --- host names ---------------------------------------------------------------------


def _generation() -> str:
    """The page cache's site-wide generation: settings cached under it are dropped by every bump."""
    try:
        return str(generations([SITE])[SITE][0])
    except Exception:  # noqa: BLE001 - generations unavailable: read the table each time
        return ""


def all_settings() -> list[SiteSettings]:
    """Every settings row (a small table), cached per generation of the page cache."""
    token = _generation()
    key = f"{ROWS_CACHE_KEY}:{hashlib.sha256(token.encode()).hexdigest()}" if token else ""
    try:
        rows = cache.get(key) if key else None
    except Exception:  # noqa: BLE001 - Redis went away after the generation was read: read the table
        rows, key = None, ""
    if rows is None:
        rows = list(SiteSettings.objects.select_related("organ"))
        if key:
            try:
                cache.set(key, rows, 3600)
            except Exception:  # noqa: BLE001, S110 - not kept this time; the rows are read again next time
                pass
    return rows


def host_map() -> dict[str, str]:
    """Configured host name → organ code."""
    return {r.host: r.organ.code for r in all_settings() if r.host and r.organ_id and r.organ.is_active}


def host_organ(request) -> Organ | None:
    """The organ whose own host name the request came in on (None on the platform's hosts)."""
    if hasattr(request, "_gongkai_host_organ"):
        return request._gongkai_host_organ
    organ = None
    try:
        host = request.get_host().split(":")[0].lower()
    except Exception:  # noqa: BLE001 - a disallowed host is Django's to refuse, not ours
        host = ""
    code = host_map().get(host) if host else None
    if code:
        organ = Organ.objects.filter(code=code, is_active=True).first()
    request._gongkai_host_organ = organ
    return organ


# --- the site of a page --------------------------------------------------------------


def _chain(organ: Organ | None) -> list[SiteSettings]:
    """The settings rows that apply, nearest first: the organ's, its ancestors', the platform's."""
    ids = [int(p) for p in organ.path.strip("/").split("/") if p] if organ is not None else []
    if organ is not None and organ.pk not in ids:
        ids.append(organ.pk)
    depth = {pk: i for i, pk in enumerate(ids)}
    rows = [r for r in all_settings() if r.organ_id is None or r.organ_id in depth]
    return sorted(rows, key=lambda r: -depth[r.organ_id] if r.organ_id in depth else 1)


def _first(rows: list[SiteSettings], name: str) -> str:
    for row in rows:
        value = getattr(row, name)
        if value:
            return value
    return ""


def _nav(keys: list[str], organ: Organ | None, home_url: str) -> list[NavItem]:
    code = organ.code if organ else None

    def scoped(url: str, **params) -> str:
        params = {k: v for k, v in params.items() if v}
        return f"{url}?{urlencode(params)}" if params else url

    urls = {
        "home": home_url,
        "column": reverse("portal:organ_catalog", args=[code]) if code else reverse("portal:home") + "#organs",
        "policies": scoped(reverse("portal:policies"), issuer=code),
        "interpretations": scoped(reverse("portal:records"), genre="interpretation", organ=code),
        "gazette": reverse("portal:gazettes"),
        "plans": reverse("workplans:public_plans"),
        "consultations": scoped(reverse("participation:consultations"), organ=code),
        "messages": scoped(reverse("participation:message_create"), organ=code),
        "qa": scoped(reverse("participation:qa"), organ=code),
        "map": scoped(reverse("participation:map"), organ=code),
        "apply": reverse("portal:organ_apply", args=[code]) if code else reverse("applications:apply"),
        "records": scoped(reverse("portal:records"), organ=code),
    }
    labels = dict(NAV_COLUMNS)
    if code:
        labels["column"] = "法定主动公开内容"
    return [NavItem(k, labels[k], urls[k]) for k in keys if k in urls]


def site_for(organ: Organ | None, *, request=None) -> Site:
    rows = _chain(organ)
    own = next((r for r in rows if organ is not None and r.organ_id == organ.pk), None)
    platform = next((r for r in rows if r.organ_id is None), None)
    on_own_host = bool(organ is not None and request is not None and host_organ(request) == organ)
    if organ is None:
        name = (platform.site_name if platform else "") or PLATFORM_NAME
        home_url = reverse("portal:home")
    else:
        name = (own.site_name if own else "") or organ.name
        home_url = "/" if on_own_host else reverse("portal:organ", args=[organ.code])
    emblem_row = next((r for r in rows if r.emblem), None)
    nav_keys = (own.nav if own and own.nav else None) or (platform.nav if platform and platform.nav else None)
    nav_keys = nav_keys or (DEFAULT_NAV if organ is None else ["home", "column", "policies", "interpretations",
                                                                 "apply", "records"])
    frame = {f: _first(rows, f) for f in FRAME_FIELDS}
    if organ is not None:
        frame["sponsor"] = (own.sponsor if own else "") or organ.name
        frame["contact_phone"] = frame["contact_phone"] or organ.phone
        frame["contact_email"] = frame["contact_email"] or organ.email
    frame["a11y_contact"] = frame["a11y_contact"] or frame["contact_phone"] or frame["contact_email"]
    return Site(
        organ=organ, name=name, home_url=home_url,
        emblem_url=reverse("portal:site_emblem", args=[emblem_row.pk]) if emblem_row else "",
        accent=_first(rows, "accent"),
        nav=_nav(nav_keys, organ, home_url),
        blocks=list((own.home_blocks if own and own.home_blocks else None) or DEFAULT_BLOCKS),
        on_own_host=on_own_host,
        **frame,
    )


def site_of_page(context) -> Site:
    """The site a template renders: the request's host organ, else the page's organ, else the platform."""
    request = context.get("request")
    organ = host_organ(request) if request is not None else None
    if organ is None:
        candidate = context.get("site_organ") or context.get("organ")
        organ = candidate if isinstance(candidate, Organ) else None
    return site_for(organ, request=request)
