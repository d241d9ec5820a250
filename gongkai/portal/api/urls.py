"""/api/v1/ (the ninja API, its Chinese documentation page, JSON 404s below it) and /open-data/."""

from functools import wraps

from django.urls import URLPattern, path

from . import views
from .endpoints import api
from .http import preflight


def _with_preflight(patterns):
    """Answer a CORS preflight (OPTIONS) on every route of the API; ninja itself routes GET only."""
    out = []
    for p in patterns:
        if isinstance(p, URLPattern):
            view = p.callback

            @wraps(view)
            def wrapped(request, *args, _view=view, **kwargs):
                if request.method == "OPTIONS":
                    return preflight()
                return _view(request, *args, **kwargs)

            p = URLPattern(p.pattern, wrapped, p.default_args, p.name)
        out.append(p)
    return out


_patterns, _app_name, _namespace = api.urls

urlpatterns = [
    path("api/v1/", views.index, name="api_index"),  # before ninja, whose root is an HTML 404
    path("api/v1/", (_with_preflight(_patterns), _app_name, _namespace)),
    path("api/v1/docs/", views.docs, name="api_docs"),
    path("open-data/", views.open_data, name="open_data"),
    path("open-data/<str:name>", views.open_data_file, name="open_data_file"),
    path("api/<path:rest>", views.not_found, name="api_not_found"),
]
