"""A lean Bootstrap 5 field renderer for hot pages, where crispy's rendering dominates the time."""

from django import template
from django.forms import BoundField
from django.utils.safestring import SafeString

register = template.Library()

WIDGET_CLASSES = {"checkbox": "form-check-input", "select": "form-select"}


@register.filter
def bootstrap_widget(field: BoundField) -> SafeString:
    """Render the field's widget with Bootstrap's classes (Django adds the ARIA attributes)."""
    css = WIDGET_CLASSES.get(field.widget_type, "form-control")
    if field.errors:
        css += " is-invalid"
    return field.as_widget(attrs={"class": css})
