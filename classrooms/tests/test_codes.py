import string

from hypothesis import given
from hypothesis import strategies as st

from classrooms import codes

code_strategy = st.text(alphabet=codes.ALPHABET, min_size=codes.LENGTH, max_size=codes.LENGTH)


def test_the_alphabet_has_31_symbols_and_no_look_alikes():
    assert len(codes.ALPHABET) == len(set(codes.ALPHABET)) == 31
    assert not set("0O1IL") & set(codes.ALPHABET)
    assert set(codes.ALPHABET) <= set(string.ascii_uppercase + string.digits)


def test_generate_makes_well_formed_codes_of_eight_symbols():
    made = {codes.generate() for _ in range(200)}

    assert all(len(code) == codes.LENGTH == 8 for code in made)
    assert all(set(code) <= set(codes.ALPHABET) for code in made)
    assert all(codes.is_well_formed(code) for code in made)
    assert len(made) == 200  # random, not a sequence


def test_generate_draws_from_secrets(monkeypatch):
    drawn = []

    def choice(alphabet):
        drawn.append(alphabet)
        return "Z"

    monkeypatch.setattr(codes.secrets, "choice", choice)

    assert codes.generate() == "ZZZZZZZZ"
    assert drawn == [codes.ALPHABET] * codes.LENGTH


def test_normalize_ignores_case_spaces_and_dashes():
    assert codes.normalize(" abcd-efgh ") == "ABCDEFGH"
    assert codes.normalize("ab cd\tef-gh") == "ABCDEFGH"
    assert codes.normalize("ABCD--EFGH") == "ABCDEFGH"


def test_display_groups_four_and_four():
    assert codes.display("ABCDEFGH") == "ABCD-EFGH"


def test_is_well_formed_refuses_wrong_lengths_and_symbols():
    assert codes.is_well_formed("ABCDEFGH")
    assert not codes.is_well_formed("ABCDEFG")
    assert not codes.is_well_formed("ABCDEFGHJ")
    assert not codes.is_well_formed("ABCDEFG0")  # zero is not in the alphabet
    assert not codes.is_well_formed("abcdefgh")  # only normalized codes


@given(code_strategy)
def test_a_displayed_code_normalizes_back(code):
    assert codes.normalize(codes.display(code)) == code


@given(code_strategy, st.sampled_from([str.lower, str.upper, str.title]))
def test_a_code_typed_in_any_case_with_spaces_normalizes_back(code, case):
    typed = " " + case(codes.display(code)).replace("-", " - ") + " "

    assert codes.normalize(typed) == code
