import pytest
from django.db import transaction
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from classrooms import codes, services
from classrooms.forms import (
    FIRST_NAME_LENGTH,
    LAST_NAME_LENGTH,
    MAX_LINES,
    MAX_NEW_STUDENTS,
    ClassroomCreateForm,
    ClassroomForm,
    JoinForm,
    StudentsAddForm,
    StudentsCreateForm,
)
from classrooms.models import Enrollment
from students.tests.factories import StudentFactory
from teachers.tests.factories import TeacherFactory

from .factories import ClassroomFactory, EnrollmentFactory

# Lines as people paste them: words, blanks, stray spaces, and whatever else text holds.
any_line = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["", "  ", "\t", "alice", " Bob@Example.com ", "ALICE"]),
)
line_breaks = st.sampled_from(["\n", "\r\n", "\r", "\u2028"])


@st.composite
def pasted(draw, lines=any_line) -> str:
    drawn = draw(st.lists(lines, max_size=MAX_LINES + 20))
    return "".join(line + draw(line_breaks) for line in drawn)


def nonblank_lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def first_spellings(text: str) -> list[str]:
    first: dict[str, str] = {}
    for line in nonblank_lines(text):
        first.setdefault(line.lower(), line)
    return list(first.values())


class TestStudentsAddForm:
    @given(text=st.one_of(pasted(), st.text()))
    def test_arbitrary_text_never_raises_nor_passes_more_than_the_cap(self, text):
        form = StudentsAddForm({"students": text})

        if form.is_valid():
            lines = form.cleaned_data["students"]
            assert 0 < len(lines) <= MAX_LINES
            # Each nonblank line once (whatever its case), as typed the first time, in order.
            assert len({line.lower() for line in lines}) == len(lines)
            assert lines == first_spellings(text)
        else:
            assert form.errors["students"]

    @given(text=pasted())
    def test_more_nonblank_lines_than_the_cap_is_an_error(self, text):
        assume("\x00" not in text)
        form = StudentsAddForm({"students": text})
        assert form.is_valid() == (0 < len(nonblank_lines(text)) <= MAX_LINES)

    def test_the_cap_counts_lines_not_characters(self):
        text = "\n".join(f"student{n}" for n in range(MAX_LINES))
        assert StudentsAddForm({"students": text}).is_valid()
        form = StudentsAddForm({"students": text + "\none-too-many"})
        assert not form.is_valid()
        assert form.errors["students"] == [
            f"Paste at most {MAX_LINES} lines at a time; this list has {MAX_LINES + 1}."
        ]

    def test_nul_is_a_form_error(self):
        assert not StudentsAddForm({"students": "alice\x00"}).is_valid()


@pytest.mark.django_db
class TestStudentsAddReport:
    @pytest.fixture
    def people(self):
        classroom = ClassroomFactory()
        inside = EnrollmentFactory(classroom=classroom, student__email="in@example.com").student
        outside = StudentFactory(email="out@example.com")
        teacher = TeacherFactory(email="teach@example.com")
        expected = {}
        for user, outcome in ((inside, "already"), (outside, "added"), (teacher, "not_students")):
            expected[user.username.lower()] = (outcome, user)
            expected[user.email.lower()] = (outcome, user)
        return classroom, expected

    # Known usernames and emails, typed in any case with spaces around, among other lines.
    @settings(
        max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
    )
    @given(data=st.data())
    def test_each_nonblank_line_is_reported_once_with_its_outcome(self, people, data):
        classroom, expected = people
        known = st.tuples(
            st.sampled_from(sorted(expected)),
            st.sampled_from([str.upper, str.lower, str.title, str]),
            st.sampled_from(["", " ", "\t"]),
        ).map(lambda t: t[2] + t[1](t[0]) + t[2])
        text = data.draw(pasted(st.one_of(known, any_line)))
        form = StudentsAddForm({"students": text})
        assume(form.is_valid())

        with transaction.atomic():
            report = form.save(classroom=classroom)
            transaction.set_rollback(True)

        reported = {
            outcome: [(line.text, line.user) for line in getattr(report, outcome)]
            for outcome in ("added", "already", "unknown", "not_students")
        }
        texts = [text for lines in reported.values() for text, _user in lines]
        assert sorted(texts) == sorted(form.cleaned_data["students"])
        for outcome, lines in reported.items():
            for text, user in lines:
                want_outcome, want_user = expected.get(text.lower(), ("unknown", None))
                assert outcome == want_outcome, text
                assert user == (want_user if outcome in ("added", "already") else None), text


def names_form(names: str, grade: str = "3") -> StudentsCreateForm:
    return StudentsCreateForm({"names": names, "grade": grade})


# Lines as teachers type names: two words, one, stray spaces and tabs, and any other text.
name_line = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["", " ", "Zoë Müller", " Ada\tLovelace ", "Madonna", "Mary Ann Smith"]),
    st.tuples(st.text(min_size=1, max_size=160), st.text(min_size=1, max_size=160)).map(" ".join),
)


class TestStudentsCreateForm:
    @settings(max_examples=200, deadline=None)
    @given(text=st.one_of(pasted(name_line), st.text()), grade=st.text(max_size=3))
    def test_any_text_never_raises_and_what_passes_can_be_created(self, text, grade):
        form = names_form(text, grade)

        if not form.is_valid():
            assert form.errors
            return
        names = form.cleaned_data["names"]
        assert 0 < len(names) <= MAX_NEW_STUDENTS
        assert len(names) == len(nonblank_lines(text))
        for first, last in names:
            assert first and last
            assert len(first) <= FIRST_NAME_LENGTH and len(last) <= LAST_NAME_LENGTH
            assert first == first.strip() and " " not in last
            assert "\x00" not in first + last
        assert 1 <= form.cleaned_data["grade"] <= 12

    @settings(deadline=None)
    @given(text=pasted(st.sampled_from(["Zoë Müller", "Ada Lovelace", "", "  "])))
    def test_at_most_60_names(self, text):
        count = len(nonblank_lines(text))
        form = names_form(text)
        assert form.is_valid() == (0 < count <= MAX_NEW_STUDENTS)
        if count > MAX_NEW_STUDENTS:
            assert form.errors["names"] == [
                f"Write at most {MAX_NEW_STUDENTS} names at a time; this list has {count}."
            ]

    @settings(deadline=None)
    @given(
        lines=st.lists(
            st.sampled_from(["Zoë Müller", "", "Madonna", "Ada " + "L" * 151, "Ada\x07 Lovelace"]),
            min_size=1,
            max_size=20,
        )
    )
    def test_each_bad_line_is_an_error_naming_its_number(self, lines):
        form = names_form("\n".join(lines))
        bad = [n for n, line in enumerate(lines, start=1) if line not in ("", "Zoë Müller")]
        if not any(lines):
            assert not form.is_valid()
            return
        errors = [] if form.is_valid() else form.errors["names"]
        assert [int(error.split(":")[0].removeprefix("Line ")) for error in errors] == bad

    def test_splits_first_names_from_the_last_word(self):
        form = names_form("  Mary Ann\tSmith \r\n\r\nZoë Müller\r\n")
        assert form.is_valid()
        assert form.cleaned_data["names"] == [("Mary Ann", "Smith"), ("Zoë", "Müller")]

    @pytest.mark.parametrize(
        ("names", "error"),
        [
            ("Zoë Müller\nMadonna", "Line 2: write a first name and a last name"),
            ("\n\nAda " + "L" * 151, "Line 3: the last name is longer than 150 characters."),
            ("F" * 151 + " Last", "Line 1: the first name is longer than 150 characters."),
            ("Ada\x07 Lovelace", "Line 1: this line holds control characters"),
        ],
    )
    def test_bad_lines(self, names, error):
        form = names_form(names)
        assert not form.is_valid()
        assert form.errors["names"][0].startswith(error)

    @pytest.mark.parametrize("names", ["", " \n\t\n "])
    def test_no_names_is_required(self, names):
        assert names_form(names).errors["names"] == ["This field is required."]

    @pytest.mark.parametrize("grade", ["", "0", "13", "seven"])
    def test_the_grade_is_one_of_the_profile_grades(self, grade):
        assert "grade" in names_form("Ada Lovelace", grade).errors


class TestClassroomForms:
    def test_new_class_has_name_and_subject_and_needs_a_name(self):
        form = ClassroomCreateForm({"name": "  ", "subject": "Art"})
        assert list(form.fields) == ["name", "subject"]
        assert not form.is_valid() and "name" in form.errors

    def test_edit_has_name_subject_and_archived(self):
        assert list(ClassroomForm().fields) == ["name", "subject", "is_archived"]


PROPERTIES = settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
    database=None,
)

# Anything a browser can send: every character but surrogates, which UTF-8 form data can't carry.
any_text = st.one_of(
    st.text(st.characters(blacklist_categories=["Cs"]), max_size=300),
    st.text(st.sampled_from(codes.ALPHABET + codes.ALPHABET.lower() + " -\t\n\x00"), max_size=40),
)
# What people put between the characters of a code: nothing, spaces, dashes, tabs.
separators = st.text(st.sampled_from(" -\t"), max_size=2)


@st.composite
def variants(draw, code: str) -> str:
    """Return `code` in any case, with spaces and dashes around and between its characters."""
    parts = [draw(separators)]
    for char in code:
        parts.append(char.lower() if draw(st.booleans()) else char)
        parts.append(draw(separators))
    return "".join(parts)


@PROPERTIES
@given(typed=any_text)
def test_any_text_is_valid_or_a_form_error_never_an_exception(typed):
    form = JoinForm({"code": typed})
    if form.is_valid():
        assert form.cleaned_data["code"] == codes.normalize(typed.strip())
        assert form.cleaned_data["code"]
    else:
        assert set(form.errors) == {"code"}


@PROPERTIES
@given(typed=any_text)
def test_normalize_is_idempotent(typed):
    once = codes.normalize(typed)
    assert codes.normalize(once) == once


@PROPERTIES
@given(code=st.text(st.sampled_from(codes.ALPHABET), min_size=8, max_size=8))
def test_normalize_undoes_the_display_form(code):
    assert codes.normalize(codes.display(code)) == code


@pytest.mark.django_db
def test_any_case_space_and_dash_variant_of_a_real_code_joins():
    classroom = ClassroomFactory()
    student = StudentFactory()

    @PROPERTIES
    @given(typed=variants(classroom.join_code))
    def join(typed):
        form = JoinForm({"code": typed})
        assert form.is_valid(), form.errors
        joined, _created = services.classroom_join(student=student, code=form.cleaned_data["code"])
        assert joined == classroom

    join()
    assert Enrollment.objects.filter(student=student).count() == 1


@pytest.mark.parametrize("typed", ["", "  ", "-", " - - "])
def test_nothing_but_spaces_and_dashes_is_required(typed):
    form = JoinForm({"code": typed})
    assert not form.is_valid()
    assert form.errors["code"] == ["This field is required."]


def test_a_very_long_paste_is_a_form_error():
    form = JoinForm({"code": "A" * 1000})
    assert not form.is_valid()
    assert "at most 32 characters" in form.errors["code"][0]
