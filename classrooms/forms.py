"""Forms of the class pages: a class's own fields, and a pasted list of students to add."""

from __future__ import annotations

import unicodedata

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from accounts.models import User
from students.models import StudentProfile

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


# New accounts in one form: a class, and one page of cards to print.
MAX_NEW_STUDENTS = 60
FIRST_NAME_LENGTH = User._meta.get_field("first_name").max_length
LAST_NAME_LENGTH = User._meta.get_field("last_name").max_length


class StudentsCreateForm(forms.Form):
    """Names of children who have no account yet, one a line, and the grade they are in."""

    names = forms.CharField(
        label=_("Names"),
        # Room for the longest names the cap allows, and blank lines between them.
        max_length=MAX_NEW_STUDENTS * (FIRST_NAME_LENGTH + LAST_NAME_LENGTH + 4),
        # Unstripped: the line numbers of the errors are the lines as the teacher sees them.
        strip=False,
        widget=forms.Textarea(attrs={"rows": 8, "autocomplete": "off", "spellcheck": "false"}),
        help_text=_(
            "One student a line: first name, then last name, like “Zoë Müller” (at most "
            "%(count)d lines). The last word is the last name."
        )
        % {"count": MAX_NEW_STUDENTS},
    )
    grade = StudentProfile._meta.get_field("grade").formfield()
    # A fresh value each time the form is shown: the page answers its POST once, so that
    # resubmitting it (a reload of the cards) creates no second batch of accounts.
    batch = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)

    def clean_names(self) -> list[tuple[str, str]]:
        """Return (first name, last name) for each nonblank line; each bad line is an error."""
        names: list[tuple[str, str]] = []
        errors: list[forms.ValidationError] = []
        for number, line in enumerate(self.cleaned_data["names"].splitlines(), start=1):
            words = line.split()
            if not words:
                continue
            names.append((" ".join(words[:-1]), words[-1]))
            if error := self.line_error(words):
                errors.append(
                    forms.ValidationError(
                        _("Line %(line)d: %(error)s"),
                        code="bad_line",
                        params={"line": number, "error": error},
                    )
                )
        if len(names) > MAX_NEW_STUDENTS:
            raise forms.ValidationError(
                _("Write at most %(max)d names at a time; this list has %(count)d."),
                code="too_many_lines",
                params={"max": MAX_NEW_STUDENTS, "count": len(names)},
            )
        if errors:
            raise forms.ValidationError(errors)
        if not names:
            raise forms.ValidationError(self.fields["names"].error_messages["required"], "required")
        return names

    @staticmethod
    def line_error(words: list[str]) -> str | None:
        """Return what is wrong with the words of one line, or None."""
        if len(words) < 2:
            return _("write a first name and a last name, like “Zoë Müller”.")
        if any(unicodedata.category(char) == "Cc" for word in words for char in word):
            return _("this line holds control characters, which are not part of a name.")
        if len(" ".join(words[:-1])) > FIRST_NAME_LENGTH:
            return _("the first name is longer than %(max)d characters.") % {
                "max": FIRST_NAME_LENGTH
            }
        if len(words[-1]) > LAST_NAME_LENGTH:
            return _("the last name is longer than %(max)d characters.") % {"max": LAST_NAME_LENGTH}
        return None

    def save(self, *, classroom: Classroom) -> list[tuple[User, str]]:
        """Create the students in `classroom`; return each with their one-time password."""
        return services.students_create(
            classroom=classroom,
            names=self.cleaned_data["names"],
            grade=self.cleaned_data["grade"],
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
