from django.conf import settings
from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "公开平台 · 参考数据管理"
admin.site.site_title = "公开平台管理"
admin.site.index_title = "参考数据（机关、体裁、主题、用户与角色）"

urlpatterns = [
    path(settings.GONGKAI_ADMIN_PATH, admin.site.urls),  # a configurable path (docs/security.md)
    path("workspace/participation/", include("gongkai.participation.staff_urls")),
    path("workspace/", include("gongkai.workspace.urls")),
    path("search/", include("gongkai.search.urls")),
    path("", include("gongkai.applications.urls")),
    path("", include("gongkai.workplans.urls")),
    path("", include("gongkai.reports.urls")),
    path("", include("gongkai.participation.urls")),
    path("", include("gongkai.ops.urls")),  # /healthz, /readyz, /metrics
    path("", include("gongkai.portal.api.urls")),  # /api/v1/ and the open-data files
    path("", include("gongkai.portal.urls")),
]

handler400 = "gongkai.core.views.error_400"
handler403 = "gongkai.portal.views.error_403"
handler404 = "gongkai.portal.views.error_404"
handler500 = "gongkai.portal.views.error_500"
