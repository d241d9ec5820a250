"""The API's documentation page (Chinese, no external script: read from the OpenAPI description)."""

from __future__ import annotations

from django.shortcuts import render
from django.views.decorators.http import require_safe

from .endpoints import api
from .http import error


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
