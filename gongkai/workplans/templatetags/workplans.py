"""Filters for the work-plan templates (status with today's date, deadline labels)."""

from django import template

register = template.Library()


@register.filter
def wp_display_status(task, today):
    return task.display_status(today)


@register.filter
def wp_status_code(task, today):
    return task.status_code(today)


@register.filter
def wp_indent(depth):
    return f"wp-depth-{min(int(depth or 0), 5)}"
