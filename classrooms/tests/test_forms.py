import pytest
from django.db import transaction
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from classrooms.forms import MAX_LINES, ClassroomCreateForm, ClassroomForm, StudentsAddForm
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


class TestClassroomForms:
    def test_new_class_has_name_and_subject_and_needs_a_name(self):
        form = ClassroomCreateForm({"name": "  ", "subject": "Art"})
        assert list(form.fields) == ["name", "subject"]
        assert not form.is_valid() and "name" in form.errors

    def test_edit_has_name_subject_and_archived(self):
        assert list(ClassroomForm().fields) == ["name", "subject", "is_archived"]
