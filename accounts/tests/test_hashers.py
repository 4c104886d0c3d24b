"""The production password hasher: Argon2id at the parameters the README measures."""

import pytest
from django.contrib.auth import hashers
from django.contrib.auth.hashers import check_password, identify_hasher, make_password

from accounts.hashers import Argon2PasswordHasher

PRODUCTION = ["accounts.hashers.Argon2PasswordHasher"]


@pytest.fixture(autouse=True)
def production_hasher(settings):
    settings.PASSWORD_HASHERS = PRODUCTION


def test_the_production_settings_hash_with_it():
    from school.settings import base

    assert base.PASSWORD_HASHERS[0] == PRODUCTION[0]


def test_new_hashes_are_argon2id_at_19_mib_2_passes_1_lane():
    encoded = make_password("correct-horse-battery-staple")
    assert encoded.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")
    assert check_password("correct-horse-battery-staple", encoded)
    assert not check_password("wrong", encoded)


def test_a_hash_with_djangos_default_parameters_verifies_and_is_remade_at_login():
    older = hashers.Argon2PasswordHasher().encode(
        "correct-horse-battery-staple", "somesaltsomesalt"
    )
    assert "m=102400,t=2,p=8" in older
    assert identify_hasher(older).__class__ is Argon2PasswordHasher
    assert check_password("correct-horse-battery-staple", older)
    assert Argon2PasswordHasher().must_update(older)
    assert not Argon2PasswordHasher().must_update(make_password("correct-horse-battery-staple"))
