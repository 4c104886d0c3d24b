import csv
import io
from unittest import mock

import pytest
from django.contrib.auth.hashers import make_password
from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext
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


# Modes: create (above), update and upsert.


def other_profile(config: roles.RoleAppConfig, profile: dict) -> dict:
    """Return valid profile values that differ from `profile` in every field."""
    for _attempt in range(100):
        candidate = profile_data(config)
        if all(candidate[name] != profile[name] for name in profile):
            return candidate
    raise AssertionError(f"no other profile for {config.role}")


def row(username: str, email: str, first: str, last: str, profile: dict, *extra) -> str:
    return ",".join([username, email, first, last, cells(profile), *extra])


@pytest.fixture
def ada(role_config, role_profile_data):
    user = user_factory(role_config)(
        username="ada", email="ada@example.com", first_name="Ada", last_name="Byron"
    )
    role_config.profile_model.objects.filter(user=user).update(**role_profile_data)
    return user


def test_update_replaces_the_stored_columns(role_config, ada, role_profile_data):
    new = other_profile(role_config, role_profile_data)

    result = run_import(
        f"{header(role_config)}\n{row('ADA', 'countess@example.com', 'Augusta', 'King', new)}\n",
        role_config,
        mode=bulk.Mode.UPDATE,
    )

    assert result == bulk.ImportResult(updated=1)
    ada.refresh_from_db()
    assert ada.username == "ada"  # the key, matched in any case; never renamed
    assert (ada.email, ada.first_name, ada.last_name) == ("countess@example.com", "Augusta", "King")
    assert profile_of(role_config, ada) == new
    assert ada.check_password("factory-password-123")  # no password_hash: kept
    assert ada.is_active


def test_update_writes_nothing_for_identical_rows(
    role_config, ada, role_profile_data, django_assert_max_num_queries
):
    text = f"{header(role_config)}\n{row('ada', 'ada@example.com', 'Ada', 'Byron', role_profile_data)}\n"

    with CaptureQueriesContext(connection) as queries:
        result = run_import(text, role_config, mode=bulk.Mode.UPDATE)

    assert result == bulk.ImportResult(unchanged=1)
    writes = [
        q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(("UPDATE", "INSERT"))
    ]
    assert writes == []


def test_update_refuses_a_username_no_account_of_the_role_has(role_config, ada, role_profile_data):
    user_of(other_role(role_config), username="grace", email="grace@example.com")

    with pytest.raises(bulk.BadFile) as excinfo:
        run_import(
            f"{header(role_config)}\n"
            f"{row('ada', 'ada@example.com', 'Ada', 'Changed', role_profile_data)}\n"
            f"{row('nobody', 'nobody@example.com', '', '', role_profile_data)}\n"
            f"{row('Grace', 'grace@example.com', '', '', role_profile_data)}\n",
            role_config,
            mode=bulk.Mode.UPDATE,
        )

    assert excinfo.value.errors == [
        f"line 3: username nobody: no such {role_config.role_name} account",
        f"line 4: username Grace is taken by an account of another role "
        f"({roles.label(other_role(role_config)).lower()})",
    ]
    assert excinfo.value.result == bulk.ImportResult(updated=1)  # the good rows, for a preview
    ada.refresh_from_db()
    assert ada.last_name == "Byron"


def test_upsert_creates_the_missing_and_updates_the_rest(role_config, ada, role_profile_data):
    user_factory(role_config)(
        username="alan", email="alan@example.com", first_name="", last_name=""
    )
    alan_profile = profile_of(role_config, User.objects.get(username="alan"))

    result = run_import(
        f"{header(role_config)}\n"
        f"{row('ada', 'ada@example.com', 'Ada', 'Lovelace', role_profile_data)}\n"
        f"{row('alan', 'alan@example.com', '', '', alan_profile)}\n"
        f"{row('grace', 'grace@example.com', 'Grace', 'Hopper', role_profile_data)}\n",
        role_config,
        mode=bulk.Mode.UPSERT,
    )

    assert result == bulk.ImportResult(created=1, updated=1, unchanged=1)
    assert User.objects.get(username="ada").last_name == "Lovelace"
    grace = role_config.proxy.objects.get(username="grace")
    assert profile_of(role_config, grace) == role_profile_data
    assert not grace.has_usable_password()


def test_upsert_refuses_an_account_of_another_role(role_config, role_profile_data):
    user_of(other_role(role_config), username="grace", email="grace@example.com")

    errors = []
    with pytest.raises(bulk.BadFile) as excinfo:
        run_import(
            f"{header(role_config)}\n{row('grace', 'g2@example.com', '', '', role_profile_data)}\n",
            role_config,
            mode=bulk.Mode.UPSERT,
        )
    errors = excinfo.value.errors

    assert len(errors) == 1 and "is taken by an account of another role" in errors[0]
    assert User.objects.get(username="grace").email == "grace@example.com"


def test_create_mode_still_refuses_existing_usernames(role_config, ada, role_profile_data):
    with pytest.raises(bulk.BadFile) as excinfo:
        run_import(
            f"{header(role_config)}\n{row('Ada', 'new@example.com', '', '', role_profile_data)}\n",
            role_config,
        )

    assert excinfo.value.errors == ["line 2: username Ada is already taken"]


def test_two_accounts_swap_their_emails_in_one_file(role_config, ada, role_profile_data):
    user_factory(role_config)(username="alan", email="alan@example.com")
    alan_profile = profile_of(role_config, User.objects.get(username="alan"))

    result = run_import(
        f"{header(role_config)}\n"
        f"{row('ada', 'ALAN@example.com', 'Ada', 'Byron', role_profile_data)}\n"
        f"{row('alan', 'ada@example.com', '', '', alan_profile)}\n",
        role_config,
        mode=bulk.Mode.UPDATE,
    )

    assert result.updated == 2
    emails = dict(User.objects.values_list("username", "email"))
    assert emails == {"ada": "ALAN@example.com", "alan": "ada@example.com"}


def test_an_email_another_account_keeps_is_taken(role_config, ada, role_profile_data):
    user_of(other_role(role_config), username="grace", email="grace@example.com")

    with pytest.raises(bulk.BadFile) as excinfo:
        run_import(
            f"{header(role_config)}\n{row('ada', 'Grace@example.com', '', '', role_profile_data)}\n",
            role_config,
            mode=bulk.Mode.UPDATE,
        )

    assert excinfo.value.errors == ["line 2: email Grace@example.com is already taken"]


def test_is_active_activates_and_deactivates(role_config, ada, role_profile_data):
    user_factory(role_config)(username="alan", email="alan@example.com", is_active=False)
    alan_profile = profile_of(role_config, User.objects.get(username="alan"))
    ada_row = row("ada", "ada@example.com", "Ada", "Byron", role_profile_data)

    result = run_import(
        f"{header(role_config, 'Is Active')}\n"
        f"{ada_row},No\n"
        f"{row('alan', 'alan@example.com', '', '', alan_profile)},TRUE\n"
        f"{row('new', 'new@example.com', '', '', role_profile_data)},0\n"
        f"{row('newer', 'newer@example.com', '', '', role_profile_data)},\n",
        role_config,
        mode=bulk.Mode.UPSERT,
    )

    assert result.created == 2 and result.updated == 2
    active = dict(User.objects.values_list("username", "is_active"))
    assert active == {"ada": False, "alan": True, "new": False, "newer": True}


def test_an_empty_is_active_keeps_the_stored_value(role_config, ada, role_profile_data):
    User.objects.filter(pk=ada.pk).update(is_active=False)
    ada_row = row("ada", "ada@example.com", "Ada", "Byron", role_profile_data)

    result = run_import(
        f"{header(role_config, 'is_active')}\n{ada_row},\n", role_config, mode=bulk.Mode.UPDATE
    )

    assert result == bulk.ImportResult(unchanged=1)
    assert not User.objects.get().is_active


@pytest.mark.parametrize("value", ["maybe", "2", "active"])
def test_a_bad_is_active_is_a_bad_line(role_config, role_profile_data, value):
    errors = import_errors(
        f"{header(role_config, 'is_active')}\n"
        f"{row('ada', 'ada@example.com', '', '', role_profile_data)},{value}\n",
        role_config,
    )

    assert errors == ["line 2: is_active: enter true, false, yes, no, 1 or 0"]


def test_update_replaces_the_password_only_when_a_hash_is_given(
    role_config, ada, role_profile_data
):
    user_factory(role_config)(
        username="alan", email="alan@example.com", password="alans-own-pass-1"
    )
    alan_profile = profile_of(role_config, User.objects.get(username="alan"))

    result = run_import(
        f"{header(role_config, 'password_hash')}\n"
        f"{row('ada', 'ada@example.com', 'Ada', 'Byron', role_profile_data)},"
        f"{make_password('a-new-password-9')}\n"
        f"{row('alan', 'alan@example.com', '', '', alan_profile)},\n",
        role_config,
        mode=bulk.Mode.UPDATE,
    )

    assert result.updated >= 1
    assert User.objects.get(username="ada").check_password("a-new-password-9")
    assert User.objects.get(username="alan").check_password("alans-own-pass-1")


def test_update_gives_a_missing_profile(role_config, ada, role_profile_data):
    role_config.profile_model.objects.filter(user=ada).delete()

    result = run_import(
        f"{header(role_config)}\n{row('ada', 'ada@example.com', 'Ada', 'Byron', role_profile_data)}\n",
        role_config,
        mode=bulk.Mode.UPDATE,
    )

    assert result == bulk.ImportResult(updated=1)
    assert profile_of(role_config, User.objects.get()) == role_profile_data


def test_nothing_is_written_when_an_update_fails_midway(role_config, ada, role_profile_data):
    manager = role_config.profile_model.objects
    real_bulk_update = manager.bulk_update

    def fail(objs, fields, **kwargs):
        real_bulk_update(objs, fields, **kwargs)
        raise IntegrityError("simulated")

    new = other_profile(role_config, role_profile_data)
    with (
        mock.patch.object(manager, "bulk_update", side_effect=fail),
        pytest.raises(bulk.BadFile, match="nothing was imported"),
    ):
        run_import(
            f"{header(role_config)}\n"
            f"{row('ada', 'new@example.com', 'New', 'Name', new)}\n"
            f"{row('grace', 'grace@example.com', '', '', new)}\n",
            role_config,
            mode=bulk.Mode.UPSERT,
        )

    assert list(User.objects.values_list("username", "email", "last_name")) == [
        ("ada", "ada@example.com", "Byron")
    ]
    assert profile_of(role_config, User.objects.get()) == role_profile_data


def test_export_edit_one_surname_import_update_changes_exactly_that_account(role_config):
    user_factory(role_config).create_batch(5)
    exported = io.StringIO()
    bulk.users_export(role=role_config.role, file=exported, password_hash=True)
    before = _snapshot(role_config)
    lines = exported.getvalue().splitlines()
    record = next(csv.reader([lines[3]]))
    record[3] = "Changed-Surname"
    lines[3] = cells(dict(enumerate(record)))

    result = run_import("\n".join(lines) + "\n", role_config, mode=bulk.Mode.UPDATE)

    assert result == bulk.ImportResult(updated=1, unchanged=4)
    after = _snapshot(role_config)
    changed = {name for name in before if before[name] != after[name]}
    assert changed == {record[0]}
    assert after[record[0]][3] == "Changed-Surname"


# Email is optional for the roles that say so (young children have none).


def test_an_empty_email_follows_the_roles_rule(role_config, role_profile_data):
    text = f"{header(role_config)}\n{row('ada', '', '', '', role_profile_data)}\n{row('alan', '', '', '', role_profile_data)}\n"

    if role_config.email_required:
        errors = import_errors(text, role_config)
        assert errors[0] == "line 2: email: This field is required."
    else:
        assert run_import(text, role_config).created == 2  # empty emails are not duplicates
        assert set(User.objects.values_list("email", flat=True)) == {""}


# One-time passwords for the accounts an import creates.


def test_one_time_passwords_for_created_accounts_only(role_config, ada, role_profile_data):
    out = io.StringIO()
    hashed = make_password("kept-password-1")

    result = run_import(
        f"{header(role_config, 'password_hash')}\n"
        f"{row('ada', 'ada@example.com', 'Ada', 'Byron', role_profile_data)},\n"
        f"{row('alan', 'alan@example.com', '', '', role_profile_data)},\n"
        f"{row('grace', 'grace@example.com', '', '', role_profile_data)},{hashed}\n",
        role_config,
        mode=bulk.Mode.UPSERT,
        passwords=out,
    )

    assert result == bulk.ImportResult(created=2, unchanged=1, passwords=1)
    written = list(csv.reader(io.StringIO(out.getvalue())))
    assert written[0] == ["username", "password"]
    assert [name for name, _password in written[1:]] == ["alan"]
    alan = User.objects.get(username="alan")
    assert alan.check_password(written[1][1]) and alan.must_change_password
    grace = User.objects.get(username="grace")
    assert grace.check_password("kept-password-1") and not grace.must_change_password
    assert not User.objects.get(username="ada").must_change_password


def test_a_dry_run_gives_no_passwords(role_config, role_profile_data):
    out = io.StringIO()

    result = run_import(
        f"{header(role_config)}\n{row('alan', 'alan@example.com', '', '', role_profile_data)}\n",
        role_config,
        dry_run=True,
        passwords=out,
    )

    assert result == bulk.ImportResult(created=1, passwords=1)
    assert out.getvalue() == "" and not User.objects.exists()


# Files as spreadsheets write them.


@pytest.mark.parametrize(
    ("spelling", "expected"),
    [
        ("First Name", "first_name"),
        ("FIRST-NAME", "first_name"),
        ("first_name", "first_name"),
        (" firstname ", "first_name"),
        ("Is Active", "is_active"),
        ("Password-Hash", "password_hash"),
    ],
)
def test_header_names_match_ignoring_case_spaces_dashes_underscores(spelling, expected):
    header_, _records = bulk.read_csv(
        io.StringIO(f"{spelling},b\n1,2\n"), columns=("b",), optional=(expected,)
    )

    assert header_ == [expected, "b"]


def test_unknown_and_repeated_columns_are_named_as_written():
    with pytest.raises(bulk.BadFile) as excinfo:
        bulk.read_csv(
            io.StringIO("First Name;first_name;Nick Name;\n"), columns=("first_name", "x")
        )

    assert excinfo.value.errors == [
        "line 1: the header must be first_name,x: missing x; "
        "unknown Nick Name, (a column without a name); repeated first_name"
    ]


@pytest.mark.parametrize(
    ("text", "delimiter"),
    [
        ("a,b;c\n", ","),
        ("a;b;c\n", ";"),
        ("a\tb\tc\n", "\t"),
        ('"a;b",c\n', ","),  # a quoted delimiter does not count
        ("a\n", ","),
    ],
)
def test_the_delimiter_is_the_headers(text, delimiter):
    assert bulk._delimiter(text) == delimiter


def test_rows_of_empty_cells_are_skipped_and_lines_still_counted():
    _header, records = bulk.read_csv(io.StringIO("a;b\n;\n \n1;2\n ; \n3;4\n"), columns=("a", "b"))

    assert records == [(4, ["1", "2"]), (6, ["3", "4"])]


@pytest.mark.parametrize(
    ("data", "encoding", "text"),
    [
        ("Zoë".encode(), "utf-8", "Zoë"),
        (b"\xef\xbb\xbf" + "Zoë".encode(), "utf-8", "Zoë"),
        (b"\xef\xbb\xbf" + "Zoë".encode(), "cp1252", "Zoë"),  # the BOM decides
        ("Zoë€".encode("cp1252"), "cp1252", "Zoë€"),
        ("Zoë".encode("latin-1"), "latin-1", "Zoë"),
        ("Zoë".encode("utf-16"), "utf-16", "Zoë"),
        ("Zoë".encode("utf-16"), "utf-8", "Zoë"),  # the BOM decides
        ("Zoë".encode("utf-16-be"), "utf-8", None),
    ],
)
def test_decode(data, encoding, text):
    if text is None:
        with pytest.raises(bulk.BadEncoding):
            bulk.decode(data, encoding)
    else:
        assert bulk.decode(data, encoding) == text


def test_a_file_that_is_not_utf8_names_the_line():
    with pytest.raises(bulk.BadEncoding) as excinfo:
        bulk.decode("a,b\n1,2\nZoë,3\n".encode("cp1252"))

    assert excinfo.value.errors == ["line 3: this is not a UTF-8 text file"]


DIALECT_COLUMNS = st.sampled_from(
    [
        lambda name: name,
        lambda name: name.upper(),
        lambda name: name.replace("_", " ").title(),
        lambda name: name.replace("_", "-"),
        lambda name: f" {name} ",
    ]
)
DIALECT_NAMES = st.text(
    alphabet=st.characters(codec="cp1252", exclude_categories=("Cc", "Cs", "Zl", "Zp")),
    max_size=12,
).map(str.strip)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_the_same_content_imports_the_same_way_in_every_dialect(role_config, data):
    """Whatever the delimiter, encoding, BOM, header spelling, line ending and blank rows,
    the accounts made are the same."""
    people = data.draw(
        st.lists(st.tuples(DIALECT_NAMES, DIALECT_NAMES), min_size=1, max_size=4), label="names"
    )
    profile = profile_data(role_config)
    rows = [
        [f"user{n}", f"user{n}@example.com", first, last, *map(str, profile.values())]
        for n, (first, last) in enumerate(people)
    ]
    expected = {
        f"user{n}": (f"user{n}@example.com", first, last, *profile.values())
        for n, (first, last) in enumerate(people)
    }
    results = []
    for _dialect in range(2):
        spell = data.draw(DIALECT_COLUMNS, label="header spelling")
        delimiter = data.draw(st.sampled_from([",", ";", "\t"]), label="delimiter")
        encoding, bom = data.draw(
            st.sampled_from(
                [
                    ("utf-8", ""),
                    ("utf-8", "\ufeff"),
                    ("cp1252", ""),
                    ("latin-1", ""),
                    ("utf-16", ""),
                ]
            ),
            label="encoding",
        )
        newline = data.draw(st.sampled_from(["\n", "\r\n"]), label="line ending")
        blanks = data.draw(st.sets(st.integers(0, len(rows))), label="blank rows before")
        file = io.StringIO()
        writer = csv.writer(file, delimiter=delimiter, lineterminator=newline)
        writer.writerow([spell(name) for name in bulk.columns(role_config.role)])
        for n, record in enumerate(rows):
            if n in blanks:
                file.write(newline if n % 2 else delimiter * 3 + newline)
            writer.writerow(record)
        try:
            raw = (bom + file.getvalue()).encode(encoding)
        except UnicodeEncodeError:
            continue  # latin-1 lacks a few of cp1252's characters (€, œ …)
        text = bulk.decode(raw, encoding)
        bulk.users_import(role=role_config.role, file=io.StringIO(text, newline=""))
        stored = _snapshot(role_config)
        results.append({name: values[1:4] + values[5:-1] for name, values in stored.items()})
        User.objects.all().delete()
    for result in results:
        assert result == expected
