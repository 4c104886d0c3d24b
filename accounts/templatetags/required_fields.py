"""What a page needs to know about a form's required fields, to explain their asterisk."""

from django import forms, template

register = template.Library()


@register.filter
def has_required_fields(form: forms.BaseForm) -> bool:
    """Return whether a visible field of `form` is required (its label shows an asterisk)."""
    return any(field.field.required for field in form.visible_fields())
