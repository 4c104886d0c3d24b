import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from classrooms import codes, services
from classrooms.forms import JoinForm
from classrooms.models import Enrollment
from students.tests.factories import StudentFactory

from .factories import ClassroomFactory

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
