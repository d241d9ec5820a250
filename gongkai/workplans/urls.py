from django.urls import path

from . import views

app_name = "workplans"
urlpatterns = [
    path("workspace/plans/", views.plan_list, name="plans"),
    path("workspace/plans/import/", views.plan_import, name="plan_import"),
    path("workspace/plans/mine/", views.my_tasks, name="my_tasks"),
    path("workspace/plans/<int:pk>/", views.plan_detail, name="plan"),
    path("workspace/plans/<int:pk>/edit/", views.plan_edit, name="plan_edit"),
    path("workspace/plans/<int:pk>/units/", views.plan_units, name="plan_units"),
    path("workspace/plans/<int:pk>/overview/", views.plan_overview, name="plan_overview"),
    path("workspace/plans/<int:pk>/ledger.xlsx", views.plan_export, name="plan_export"),
    path("workspace/plans/<int:pk>/<str:action>/", views.plan_action, name="plan_action"),
    path("workspace/plans/tasks/<int:pk>/", views.task_detail, name="task"),
    path("workspace/plans/tasks/<int:pk>/status/", views.task_status, name="task_status"),
    path("workspace/plans/tasks/<int:pk>/tracked/", views.task_tracked, name="task_tracked"),
    path("workspace/plans/tasks/<int:pk>/assign/", views.task_assign, name="task_assign"),
    path("workspace/plans/reports/<int:pk>/publication/", views.report_publication, name="report_publication"),
    path("plans/", views.public_plan_list, name="public_plans"),
    path("plans/<int:pk>/", views.public_plan, name="public_plan"),
]
