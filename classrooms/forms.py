"""Forms of the class pages: a class's own fields, and a pasted list of students to add."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from . import codes, services
from .models import Classroom

# Lines a teacher may paste at once: a class or two, not the whole school.
MAX_LINES = 200
# The longest line that can name anyone: an email address (254 characters, RFC 5321).
MAX_LINE_LENGTH = 254


class ClassroomForm(forms.ModelForm):
    """A class's own fields, as its teacher edits them (archiving included)."""

    class Meta:
        model = Classroom
        fields = ("name", "subject", "is_archived")


class ClassroomCreateForm(ClassroomForm):
    """A new class: its name and subject; its teacher is whoever creates it."""

    class Meta(ClassroomForm.Meta):
        fields = ("name", "subject")


class StudentsAddForm(forms.Form):
    """Usernames or email addresses of existing students, one a line."""

    students = forms.CharField(
        label=_("Students"),
        # Room for the longest lines the cap allows; past it, no need to read the lines at all.
        max_length=MAX_LINES * (MAX_LINE_LENGTH + 2),
        widget=forms.Textarea(attrs={"rows": 5, "autocomplete": "off", "spellcheck": "false"}),
        help_text=ngettext_lazy(
            "Usernames or email addresses, one a line (at most %(count)d line).",
            "Usernames or email addresses, one a line (at most %(count)d lines).",
            MAX_LINES,
        )
        % {"count": MAX_LINES},
    )

    def clean_students(self) -> list[str]:
        """Return the distinct nonblank lines (ignoring case), in the order they were pasted."""
        lines = [line.strip() for line in self.cleaned_data["students"].splitlines()]
        lines = [line for line in lines if line]
        if len(lines) > MAX_LINES:
            raise forms.ValidationError(
                ngettext_lazy(
                    "Paste at most %(max)d line at a time; this list has %(count)d.",
                    "Paste at most %(max)d lines at a time; this list has %(count)d.",
                    MAX_LINES,
                ),
                code="too_many_lines",
                params={"max": MAX_LINES, "count": len(lines)},
            )
        distinct: dict[str, str] = {}
        for line in lines:
            distinct.setdefault(line.lower(), line)
        return list(distinct.values())

    def save(self, *, classroom: Classroom) -> services.AddResult:
        """Enroll the students the lines name in `classroom`; report each line."""
        return services.enrollments_add(
            classroom=classroom, identifiers=self.cleaned_data["students"]
        )


class JoinForm(forms.Form):
    """A join code as a student types it: any case, with the spaces and dashes people add."""

    code = forms.CharField(
        label=_("Class code"),
        # Room for "abcd - efgh" and the like; what counts is the normalized code.
        max_length=4 * codes.LENGTH,
        help_text=_("The 8 letters and digits your teacher gave you, like ABCD-EFGH."),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )

    def clean_code(self) -> str:
        code = codes.normalize(self.cleaned_data["code"])
        if not code:  # only spaces and dashes
            raise forms.ValidationError(self.fields["code"].error_messages["required"], "required")
        return code
