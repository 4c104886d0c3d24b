"""A lean Bootstrap 5 field renderer for hot pages, where crispy's rendering dominates the time."""

from django import template
from django.forms import BoundField
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

WIDGET_CLASSES = {"checkbox": "form-check-input", "select": "form-select"}
# Widgets whose Django template is just forms/widgets/input.html. Rendering that template costs
# a look-up and two template renders per field (over a quarter of the login page); the markup is
# formatted here instead.
INPUT_TEMPLATES = frozenset(
    f"django/forms/widgets/{name}.html"
    for name in ("text", "password", "email", "number", "checkbox", "hidden", "url", "search")
)


@register.filter
def bootstrap_field(field: BoundField) -> SafeString:
    """Render a visible field as crispy-bootstrap5 does: label, widget, errors, help text.

    The widget ties itself to the error and help blocks (aria-describedby with the ids
    `<id>_error` and `<id>_helptext`, aria-invalid); one Python call instead of a dozen
    template look-ups per field.
    """
    widget = bootstrap_widget(field)
    errors = help_text = ""
    if field.errors:
        errors = format_html(
            '<div id="{}_error" class="invalid-feedback">{}</div>',
            field.auto_id,
            format_html_join(
                "", '<p class="mb-0"><strong>{}</strong></p>', ((error,) for error in field.errors)
            ),
        )
    if field.help_text:
        # Trusted like Django's own help texts (which hold markup): |safe in crispy's template.
        help_text = format_html(
            '<div id="{}_helptext" class="form-text">{}</div>',
            field.auto_id,
            mark_safe(field.help_text),
        )
    if field.widget_type == "checkbox":
        return format_html(
            '<div class="mb-3 form-check">{}<label class="form-check-label" for="{}">{}</label>'
            "{}{}</div>",
            widget,
            field.id_for_label,
            field.label,
            errors,
            help_text,
        )
    required = field.field.required
    return format_html(
        '<div class="mb-3"><label class="form-label{}" for="{}">{}{}</label>{}{}{}</div>',
        " requiredField" if required else "",
        field.id_for_label,
        field.label,
        mark_safe('<span class="asteriskField">*</span>') if required else "",
        widget,
        errors,
        help_text,
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
    value = context["value"]
    return format_html(
        '<input type="{}" name="{}"{}{}>',
        context["type"],
        context["name"],
        format_html(' value="{}"', value) if value is not None else "",
        flat_attrs(context["attrs"]),
    )


def flat_attrs(attrs: dict) -> SafeString:
    """Write attributes as attrs.html does: in order, True as a bare name, False left out."""
    return mark_safe(
        "".join(
            format_html(" {}", name) if value is True else format_html(' {}="{}"', name, value)
            for name, value in attrs.items()
            if value is not False
        )
    )
