import csv
import io
from unittest import mock

import pytest
from django.contrib.auth.hashers import make_password
from django.db import IntegrityError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts import bulk, roles
from accounts.models import User
from accounts.tests.factories import other_role, profile_data, user_factory, user_of

pytestmark = pytest.mark.django_db


def header(config: roles.RoleAppConfig, *extra: str) -> str:
    return ",".join([*bulk.columns(config.role), *extra])


def cells(profile: dict) -> str:
    """Return the profile values as the CSV cells that end a row."""
    file = io.StringIO()
    csv.writer(file, lineterminator="").writerow(profile.values())
    return file.getvalue()


def run_import(text: str, config: roles.RoleAppConfig, **kwargs) -> bulk.ImportResult:
    return bulk.users_import(role=config.role, file=io.StringIO(text, newline=""), **kwargs)


def import_errors(text: str, config: roles.RoleAppConfig) -> list[str]:
    with pytest.raises(bulk.BadFile) as excinfo:
        run_import(text, config)
    assert not User.objects.exists(), "a refused file wrote accounts"
    return excinfo.value.errors


def profile_of(config: roles.RoleAppConfig, user: User) -> dict:
    profile = getattr(user, config.profile_accessor)
    return {name: getattr(profile, name) for name in config.profile_fields}


def test_import_creates_users_with_profiles_and_no_usable_password(role_config):
    first, second = profile_data(role_config), profile_data(role_config)

    result = run_import(
        f"{header(role_config)}\n"
        f"ada,Ada@Example.COM,Ada,Lovelace,{cells(first)}\n"
        f"alan,alan@example.com,,,{cells(second)}\n",
        role_config,
    )

    assert result == bulk.ImportResult(created=2)
    ada = role_config.proxy.objects.get(username="ada")
    assert ada.has_role(role_config.role) and ada.is_active
    assert ada.email == "Ada@example.com"  # the domain normalised, as everywhere
    assert (ada.first_name, ada.last_name) == ("Ada", "Lovelace")
    assert profile_of(role_config, ada) == first
    assert not ada.has_usable_password()
    assert profile_of(role_config, role_config.proxy.objects.get(username="alan")) == second


def test_each_unusable_password_is_different(role_config, role_profile_data):
    row = cells(role_profile_data)
    run_import(
        f"{header(role_config)}\na,a@example.com,,,{row}\nb,b@example.com,,,{row}\n", role_config
    )

    assert len(set(User.objects.values_list("password", flat=True))) == 2


def test_a_valid_password_hash_is_kept(role_config, role_profile_data):
    hashed = make_password("imported-password-1")
    run_import(
        f"{header(role_config, 'password_hash')}\n"
        f"ada,ada@example.com,,,{cells(role_profile_data)},{hashed}\n",
        role_config,
    )

    assert User.objects.get().check_password("imported-password-1")


def test_bom_crlf_accents_and_blank_lines_are_read(role_config, role_profile_data):
    text = (
        f"\ufeff{header(role_config)}\r\n"
        f"zoe,zoe@example.com,Zoë,Ñúñez-Łukasz,{cells(role_profile_data)}\r\n\r\n"
    )
    with (
        io.BytesIO(text.encode()) as raw,
        io.TextIOWrapper(raw, encoding="utf-8-sig", newline="") as file,
    ):
        bulk.users_import(role=role_config.role, file=file)

    assert User.objects.get().last_name == "Ñúñez-Łukasz"


def test_a_quoted_cell_may_hold_a_comma_and_a_line_break(role_config, role_profile_data):
    run_import(
        f"{header(role_config)}\n"
        f'ada,ada@example.com,"Ada, Countess","Love\nlace",{cells(role_profile_data)}\n',
        role_config,
    )

    assert User.objects.get().first_name == "Ada, Countess"
    assert User.objects.get().last_name == "Love\nlace"


def test_dry_run_checks_and_writes_nothing(role_config, role_profile_data):
    text = f"{header(role_config)}\nada,ada@example.com,,,{cells(role_profile_data)}\n"

    assert run_import(text, role_config, dry_run=True) == bulk.ImportResult(created=1)
    assert not User.objects.exists()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "the file is empty"),
        ("\n\n", "the file is empty"),
        ("{header}\n", "the file has a header but no rows"),
        ("{user_columns}\n", "line 1: the header must be"),
        ("{header},nickname\n", "unknown nickname"),
        ("{header},{field}\n", "repeated {field}"),
        ("{user_columns},{foreign}\n", "missing {fields}"),
    ],
)
def test_bad_files_are_refused_with_a_clear_reason(role_config, text, expected):
    others = [
        name
        for config in roles.registered()
        for name in config.profile_fields
        if name not in role_config.profile_fields
    ]
    names = {
        "header": header(role_config),
        "user_columns": ",".join(bulk.USER_COLUMNS),
        "field": role_config.profile_fields[0],
        "fields": ", ".join(role_config.profile_fields),
        # Another role's column where this role's belong (a column no role has if none).
        "foreign": others[0] if others else "nickname",
    }

    errors = import_errors(text.format(**names), role_config)

    assert any(expected.format(**names) in error for error in errors), errors


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        ("bad name!,a@example.com,,,{p}", "line 2: username: Enter a valid username"),
        (",a@example.com,,,{p}", "line 2: username: This field is required."),
        (
            f"{'u' * 151},a@example.com,,,{{p}}",
            "line 2: username: Ensure this value has at most 150",
        ),
        ("ada,not-an-email,,,{p}", "line 2: email: Enter a valid email address."),
        ("ada,ada@example.com,,", "line 2: expected {n} fields, found 4"),
        ("ada,ada@example.com,,,{p},extra", "line 2: expected {n} fields, found {more}"),
        (
            "ada,ada@example.com,Ada\x00,,{p}",
            "line 2: first_name: Null characters are not allowed.",
        ),
    ],
)
def test_every_bad_row_is_refused(role_config, role_profile_data, row, expected):
    n = len(bulk.columns(role_config.role))
    names = {"p": cells(role_profile_data), "n": n, "more": n + 1}

    errors = import_errors(f"{header(role_config)}\n{row.format(**names)}\n", role_config)

    assert len(errors) == 1 and errors[0].startswith(expected.format(**names)), errors


def test_a_bad_password_hash_is_refused(role_config, role_profile_data):
    errors = import_errors(
        f"{header(role_config, 'password_hash')}\n"
        f"ada,ada@example.com,,,{cells(role_profile_data)},plain-text\n",
        role_config,
    )

    assert errors == ["line 2: password_hash: not a password hash this site can check"]


def test_every_bad_line_is_reported_with_its_physical_line_number(role_config, role_profile_data):
    row = cells(role_profile_data)
    text = (
        f"{header(role_config)}\n"
        f"ok,ok@example.com,,,{row}\n"  # line 2
        "\n"  # line 3, blank: skipped but counted
        f'multi,not-an-email,"two\nlines",,{row}\n'  # lines 4-5
        f"bad,bad,,,{row}\n"  # line 6
    )
    errors = import_errors(text, role_config)

    assert [error.split(":")[0] for error in errors] == ["line 4", "line 6"]


def test_duplicates_within_the_file_regardless_of_case(role_config, role_profile_data):
    row = cells(role_profile_data)
    errors = import_errors(
        f"{header(role_config)}\nada,ada@example.com,,,{row}\nADA,Ada@Example.com,,,{row}\n",
        role_config,
    )

    assert errors == ["line 3: username ADA repeats line 2; email Ada@example.com repeats line 2"]


def test_duplicates_against_the_database_regardless_of_case(role_config, role_profile_data):
    user_of(other_role(role_config), username="Grace", email="grace@example.com")
    row = cells(role_profile_data)
    with pytest.raises(bulk.BadFile) as excinfo:
        run_import(
            f"{header(role_config)}\ngrace,other@example.com,,,{row}\nada,GRACE@example.com,,,{row}\n",
            role_config,
        )

    assert excinfo.value.errors == [
        "line 2: username grace is already taken",
        "line 3: email GRACE@example.com is already taken",
    ]
    assert not role_config.proxy.objects.exists()


def test_nothing_is_written_when_the_database_refuses_a_profile_midway(
    role_config, role_profile_data
):
    manager = role_config.profile_model.objects
    real_bulk_create = manager.bulk_create

    def fail(objs, **kwargs):
        real_bulk_create(objs[:1], **kwargs)  # some rows are in before it fails
        raise IntegrityError("simulated")

    row = cells(role_profile_data)
    with (
        mock.patch.object(manager, "bulk_create", side_effect=fail),
        pytest.raises(bulk.BadFile, match="nothing was imported"),
    ):
        run_import(
            f"{header(role_config)}\nada,ada@example.com,,,{row}\nalan,alan@example.com,,,{row}\n",
            role_config,
        )

    assert not User.objects.exists()
    assert not role_config.profile_model.objects.exists()


def test_export_writes_the_import_format(role_config, role_profile_data):
    user = user_factory(role_config)(
        username="zoe", email="zoe@example.com", first_name="Zoë", last_name="O'Neil, Jr"
    )
    role_config.profile_model.objects.filter(user=user).update(**role_profile_data)
    user_of(other_role(role_config))
    file = io.StringIO()

    assert bulk.users_export(role=role_config.role, file=file) == 1
    assert file.getvalue() == (
        f'{header(role_config)}\r\nzoe,zoe@example.com,Zoë,"O\'Neil, Jr",{cells(role_profile_data)}\r\n'
    )


def _snapshot(config: roles.RoleAppConfig) -> dict[str, tuple]:
    profile = [f"{config.profile_accessor}__{name}" for name in config.profile_fields]
    rows = config.proxy.objects.values_list(
        "username", "email", "first_name", "last_name", "is_active", *profile, "password"
    )
    return {row[0]: row for row in rows}


def test_round_trip_export_empty_import_gives_the_same_accounts(role_config):
    for config in roles.registered():
        user_factory(config).create_batch(3, first_name="Zoë", last_name="Ñúñez")
    run_import(
        f"{header(role_config)}\nnopass,nopass@example.com,,,{cells(profile_data(role_config))}\n",
        role_config,
    )
    before = _snapshot(role_config)
    file = io.StringIO()
    bulk.users_export(role=role_config.role, file=file, password_hash=True)
    User.objects.all().delete()

    file.seek(0)
    run_import(file.getvalue(), role_config)

    after = _snapshot(role_config)
    assert len(after) == 4
    assert {name: row[:-1] for name, row in after.items()} == {
        name: row[:-1] for name, row in before.items()
    }
    # A password survives as its hash; an unusable one comes back unusable.
    for name, row in before.items():
        old, new = row[-1], after[name][-1]
        assert new == old or (old.startswith("!") and new.startswith("!")), name


hostile_text = st.one_of(
    st.text(max_size=300),
    st.sampled_from(
        ["", " ", "\x00", "\r", "\n", '"', "ａｄａ", "аda", "Ada\u200b", "ß", "İ", "=1+1", "\ufeff"]
    ),
)
# Numbers around any small range, or anything at all, in every profile column.
hostile_value = st.one_of(st.integers(-5, 20).map(str), hostile_text)


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_hostile_cells_never_crash_nor_half_write(role_config, data):
    row = st.tuples(
        hostile_text,
        hostile_text,
        hostile_text,
        hostile_text,
        *(hostile_value for _name in role_config.profile_fields),
    )
    rows = data.draw(st.lists(row, max_size=5), label="rows")
    file = io.StringIO(newline="")
    writer = csv.writer(file)
    writer.writerow(bulk.columns(role_config.role))
    writer.writerows(rows)
    file.seek(0)
    try:
        count = bulk.users_import(role=role_config.role, file=file).created
    except bulk.BadFile as error:
        errors = error.errors
        assert errors
        assert not User.objects.exists()
    else:
        assert role_config.proxy.objects.count() == count
        assert role_config.profile_model.objects.count() == count
        User.objects.all().delete()
