import pytest
from hypothesis import given
from hypothesis import strategies as st

from accounts.tests.factories import user_factory
from accounts.usernames import MAX_BASE_LENGTH, available_usernames, fold, username_for

pytestmark = pytest.mark.django_db


class TestUsernameFor:
    @pytest.mark.parametrize(
        ("first", "last", "expected"),
        [
            ("Zoë", "Müller", "zoe.muller"),
            ("ZOE", "MULLER", "zoe.muller"),
            ("François", "Le Brun", "francois.lebrun"),
            ("Jean-Luc", "O'Neil", "jeanluc.oneil"),
            ("Mary Ann", "Smith", "maryann.smith"),
            ("Søren", "Kierkegaard", "soren.kierkegaard"),
            ("Łukasz", "Strauß", "lukasz.strauss"),
            ("Ægir", "Þórsson", "aegir.thorsson"),
            ("ｆｕｌｌ", "ｗｉｄｔｈ", "full.width"),
            ("Louis", "14", "louis.14"),
            ("J.", "Doe", "j.doe"),
            ("..", "Doe", "doe"),
        ],
    )
    def test_folds_names_to_lower_case_ascii_first_dot_last(self, first, last, expected):
        assert username_for(first, last) == expected

    def test_a_name_ascii_cannot_spell_gets_the_fallback(self):
        assert username_for("李", "王") == "user"
        assert username_for("李", "王", fallback="pupil") == "pupil"
        assert username_for("李", "Wang") == "wang"

    def test_long_names_leave_room_for_a_number(self):
        assert len(username_for("a" * 150, "b" * 150)) <= MAX_BASE_LENGTH

    @given(first=st.text(), last=st.text())
    def test_any_names_give_a_valid_username(self, first, last):
        username = username_for(first, last)
        assert username
        assert set(username) <= set("abcdefghijklmnopqrstuvwxyz0123456789.")
        assert not username.startswith(".") and not username.endswith(".")
        assert ".." not in username
        assert len(username) <= MAX_BASE_LENGTH

    def test_fold_keeps_only_lower_case_letters_digits_and_dots(self):
        assert fold("Zoë-Ann O'Brien 2.0!") == "zoeannobrien2.0"


class TestAvailableUsernames:
    def test_a_free_name_is_the_base_itself(self):
        assert available_usernames(["zoe.muller"]) == ["zoe.muller"]

    def test_taken_names_are_numbered_from_2(self, role_config):
        make = user_factory(role_config)
        make(username="zoe.muller")
        assert available_usernames(["zoe.muller"]) == ["zoe.muller2"]
        make(username="zoe.muller2")
        assert available_usernames(["zoe.muller"]) == ["zoe.muller3"]

    def test_a_gap_in_the_numbers_is_used(self, role_config):
        make = user_factory(role_config)
        make(username="zoe.muller")
        make(username="zoe.muller3")
        assert available_usernames(["zoe.muller"]) == ["zoe.muller2"]

    def test_collisions_ignore_case(self, role_config):
        make = user_factory(role_config)
        make(username="Zoe.Muller")
        make(username="ZOE.MULLER2")
        assert available_usernames(["zoe.muller"]) == ["zoe.muller3"]

    def test_longer_names_with_the_prefix_do_not_count(self, role_config):
        user_factory(role_config)(username="zoe.mullerson")
        assert available_usernames(["zoe.muller"]) == ["zoe.muller"]

    def test_repeated_bases_get_different_names_in_order(self, role_config):
        user_factory(role_config)(username="ann.lee")
        assert available_usernames(["zoe.muller", "ann.lee", "zoe.muller", "zoe.muller"]) == [
            "zoe.muller",
            "ann.lee2",
            "zoe.muller2",
            "zoe.muller3",
        ]

    def test_names_the_caller_took_are_skipped(self):
        assert available_usernames(["zoe.muller"], taken=["Zoe.Muller", "zoe.muller2"]) == [
            "zoe.muller3"
        ]

    def test_no_bases_no_query(self, django_assert_num_queries):
        with django_assert_num_queries(0):
            assert available_usernames([]) == []

    def test_one_query_however_many_names_and_taken_numbers(
        self, role_config, django_assert_num_queries
    ):
        make = user_factory(role_config)
        for number in ["", *range(2, 30)]:
            make(username=f"zoe.muller{number}")
        bases = [f"child{n}.name" for n in range(60)] + ["zoe.muller"]
        with django_assert_num_queries(1):
            names = available_usernames(bases)
        assert names[-1] == "zoe.muller30"
        assert len(set(names)) == len(names)
