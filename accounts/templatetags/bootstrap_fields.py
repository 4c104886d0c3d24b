"""A lean Bootstrap 5 field renderer for hot pages, where crispy's rendering dominates the time."""

from django import template
from django.forms import BoundField
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

register = template.Library()

WIDGET_CLASSES = {"checkbox": "form-check-input", "select": "form-select"}
# Widgets whose Django template is just forms/widgets/input.html. Rendering that template costs
# a look-up and two template renders per field (a third of the login page); the same markup is
# formatted here instead.
INPUT_TEMPLATES = frozenset(
    f"django/forms/widgets/{name}.html"
    for name in ("text", "password", "email", "number", "checkbox", "hidden", "url", "search")
)


@register.filter
def bootstrap_widget(field: BoundField) -> SafeString:
    """Render the field's widget with Bootstrap's classes (Django adds the ARIA attributes)."""
    css = WIDGET_CLASSES.get(field.widget_type, "form-control")
    if field.errors:
        css += " is-invalid"
    if field.field.widget.template_name in INPUT_TEMPLATES:
        return render_input(field, {"class": css})
    return field.as_widget(attrs={"class": css})


def render_input(field: BoundField, attrs: dict) -> SafeString:
    """Return what `field.as_widget(attrs=attrs)` renders for an <input>, without a template."""
    widget = field.field.widget
    if field.field.localize:
        widget.is_localized = True
    # The same attributes as_widget() gives the widget: required, aria-invalid,
    # aria-describedby, the id.
    attrs = field.build_widget_attrs(attrs, widget)
    if field.auto_id and "id" not in widget.attrs:
        attrs.setdefault("id", field.auto_id)
    context = widget.get_context(field.html_name, field.value(), attrs)["widget"]
    # As input.html and attrs.html write it: attributes in order, True as a bare name, False left out.
    value = context["value"]
    return format_html(
        '<input type="{}" name="{}"{}{}>',
        context["type"],
        context["name"],
        format_html(' value="{}"', value) if value is not None else "",
        format_html_join(
            "",
            "{}",
            (
                (format_html(" {}", name) if value is True else format_html(' {}="{}"', name, value),)
                for name, value in context["attrs"].items()
                if value is not False
            ),
        ),
    )
