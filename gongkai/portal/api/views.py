"""The API's documentation page (Chinese, no external script: read from the OpenAPI description)."""

from __future__ import annotations

from django.shortcuts import render
from django.views.decorators.http import require_safe

from .endpoints import api
from .http import error, with_cors


@require_safe
def docs(request):
    schema = api.get_openapi_schema()
    endpoints = []
    for path, ops in schema["paths"].items():
        for method, op in ops.items():
            params = [{"name": p["name"], "in": p["in"], "required": p.get("required", False),
                       "type": p.get("schema", {}).get("type", "")} for p in op.get("parameters", [])]
            endpoints.append({"method": method.upper(), "path": path, "summary": op.get("summary", ""),
                              "description": op.get("description", ""), "tag": (op.get("tags") or [""])[0],
                              "params": params})
    return render(request, "portal/api/docs.html", {
        "info": schema["info"], "endpoints": endpoints, "base": request.build_absolute_uri("/api/v1"),
    })


def not_found(request, rest: str = ""):
    return error(404, "没有这个接口。接口说明见 /api/v1/docs/，OpenAPI 描述见 /api/v1/openapi.json。")


CONTENT_TYPES = {"csv": "text/csv; charset=utf-8", "jsonl": "application/x-ndjson; charset=utf-8",
                 "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


@require_safe
def open_data(request):
    from gongkai.core.models import Organ

    from . import opendata

    entries = opendata.files()
    names = dict(Organ.objects.active().values_list("code", "name"))
    scopes: dict[str, list] = {}
    for entry in entries:
        if entry.scope == opendata.ALL or entry.scope in names:
            scopes.setdefault(entry.scope, []).append(entry)
    rows = [("本平台全部机关" if scope == opendata.ALL else names[scope], files) for scope, files in scopes.items()]
    return render(request, "portal/api/open_data.html", {"rows": rows, "fields": opendata.FIELDS})


@require_safe
def open_data_file(request, name: str):
    from django.http import FileResponse, Http404, HttpResponse

    from . import opendata

    if name == "dictionary.csv":
        response = HttpResponse(opendata.dictionary_csv(), content_type=CONTENT_TYPES["csv"])
        response["Content-Disposition"] = 'attachment; filename="dictionary.csv"'
        return response
    entry = opendata.find(name)
    if entry is None:
        raise Http404("没有这个数据文件。")
    try:
        entry = opendata.fresh(entry)
    except FileNotFoundError as exc:
        raise Http404("没有这个数据文件。") from exc
    response = FileResponse(open(opendata.data_dir() / entry.name, "rb"), as_attachment=True,  # noqa: SIM115
                            filename=entry.name, content_type=CONTENT_TYPES[entry.format])
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_safe
def index(request):
    """/api/v1/ itself: a JSON index of the endpoints (ninja's own root answers an HTML 404)."""
    from django.http import JsonResponse

    schema = api.get_openapi_schema()
    endpoints = [{"path": path, "summary": op.get("summary", "")}
                 for path, ops in schema["paths"].items() for op in ops.values()]
    return with_cors(JsonResponse({"name": schema["info"].get("title", ""), "version": schema["info"].get("version", ""),
                         "docs": "/api/v1/docs/", "openapi": "/api/v1/openapi.json", "endpoints": endpoints},
                                   json_dumps_params={"ensure_ascii": False}))
