"""Forms of the class pages: a class's own fields, and a pasted list of students to add."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from accounts.models import User

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


class Line(NamedTuple):
    """One line of a pasted list, and the account it names (None when it names no student)."""

    text: str
    user: User | None = None


@dataclass
class AddReport:
    """What became of each distinct line of a pasted list: every line is in one list."""

    added: list[Line] = field(default_factory=list)
    already: list[Line] = field(default_factory=list)
    unknown: list[Line] = field(default_factory=list)
    not_students: list[Line] = field(default_factory=list)


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

    def save(self, *, classroom: Classroom) -> AddReport:
        """Enroll the students the lines name in `classroom`; report each line."""
        lines: list[str] = self.cleaned_data["students"]
        result = services.enrollments_add(classroom=classroom, identifiers=lines)
        return report(lines, result)


def report(lines: list[str], result: services.AddResult) -> AddReport:
    """Sort `lines` by what `enrollments_add` did with them, one entry per line.

    The service lists students once even when two lines name the same one (a username and
    an email address): here both lines are reported, with that student.
    """
    not_students = {identifier.lower() for identifier in result.not_students}
    outcome: dict[str, tuple[str, User]] = {}
    for kind, users in (("added", result.added), ("already", result.already)):
        for user in users:
            if user.email:
                outcome.setdefault(user.email.lower(), (kind, user))
        # A username wins over another account's email address, as in the service.
        for user in users:
            outcome[user.username.lower()] = (kind, user)
    answer = AddReport()
    for line in lines:
        key = line.lower()
        if key in not_students:
            answer.not_students.append(Line(line))
        elif key in outcome:
            kind, user = outcome[key]
            getattr(answer, kind).append(Line(line, user))
        else:  # the service's `unknown`
            answer.unknown.append(Line(line))
    return answer


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
