"""Accounts in bulk: the CSV format that `import_users` reads and `export_users` writes.

The columns are the user's own (`USER_COLUMNS`) followed by the role's profile fields, with
the optional columns `is_active` and `password_hash`. Import checks every row first and
reports every bad line as `line N: reason` (the header is line 1), then writes all rows or
none. A mode says what a row may do: create an account, update one, or either (upsert).

Files are read as spreadsheets write them (`read_csv`, shared with the classes import): the
delimiter (comma, semicolon, tab) is found from the header, header names match ignoring
case, spaces, dashes and underscores, and rows of empty cells are skipped.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import secrets
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from typing import NamedTuple, TextIO, TypeVar

from auditlog.context import disable_auditlog
from django import forms
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX, identify_hasher, make_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.services import audit_bulk

from . import roles
from .models import User
from .passwords import one_time_password

USER_COLUMNS = ("username", "email", "first_name", "last_name")
IS_ACTIVE = "is_active"
PASSWORD_HASH = "password_hash"
OPTIONAL_COLUMNS = (IS_ACTIVE, PASSWORD_HASH)
# Rows per INSERT: well under SQLite's variable limit, few round trips on PostgreSQL.
BATCH_SIZE = 2000
# Rows per UPDATE: bulk_update writes a CASE of every row for every field it sets.
UPDATE_BATCH_SIZE = 1000
# A lookup of existing usernames or emails per this many values.
LOOKUP_CHUNK = 5000
# The encodings a file may be read in; a byte order mark (UTF-8 or UTF-16) overrides them.
ENCODINGS = ("utf-8", "cp1252", "latin-1", "utf-16")
DELIMITERS = (",", ";", "\t")
# A whole number as spreadsheets write it in a general column: 7.0, 7.00, +7.
WHOLE_NUMBER = re.compile(r"\s*([+-]?\d+)(?:\.0*)?\s*")

T = TypeVar("T")
Progress = Callable[..., Iterable]


def no_progress(iterable: Iterable[T], **kwargs) -> Iterable[T]:
    return iterable


class Mode(models.TextChoices):
    """What a row of an import may do to the accounts."""

    CREATE = "create", gettext_lazy("Create: every row is a new account")
    UPDATE = "update", gettext_lazy("Update: every row is an existing account")
    UPSERT = "upsert", gettext_lazy("Upsert: create the new accounts, update the others")


@dataclass
class ImportResult:
    """What an import did, or in a dry run would do (for a bad file: its good rows)."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    # The one-time passwords given to created accounts (username, password), if asked for.
    passwords: int = 0

    @property
    def rows(self) -> int:
        return self.created + self.updated + self.unchanged

    def counts(self) -> str:
        return _("create %(created)d, update %(updated)d, unchanged %(unchanged)d") % vars(self)


class BadFile(Exception):
    """The file cannot be imported; `errors` lists every reason, one line each.

    `result` counts what the good rows would do, when the file could be read that far.
    """

    def __init__(self, errors: list[str], result: ImportResult | None = None):
        self.errors = errors
        self.result = result
        super().__init__("\n".join(errors))


class BadEncoding(BadFile):
    """The bytes are not text in the encoding given; callers add how to pick another."""

    def __init__(self, line: int, encoding: str):
        self.line, self.encoding = line, encoding
        name = "UTF-8" if encoding.replace("-sig", "") == "utf-8" else encoding
        super().__init__(
            [_("line %(line)d: this is not a %(name)s text file") % {"line": line, "name": name}]
        )


def decode(data: bytes, encoding: str = "utf-8") -> str:
    """Return the text of a file's bytes: a byte order mark decides, else `encoding`.

    Raise BadEncoding naming the line of the first byte that is not `encoding`.
    """
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    elif data.startswith(codecs.BOM_UTF8) or encoding == "utf-8":
        encoding = "utf-8-sig"
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise BadEncoding(data.count(b"\n", 0, exc.start) + 1, encoding) from None


def columns(role: str) -> tuple[str, ...]:
    """Return the CSV columns of `role`, in order (without the optional columns)."""
    return (*USER_COLUMNS, *roles.get(role).profile_fields)


class _SharedFields(dict):
    """Form fields that every instance shares instead of deep-copying them.

    Forms copy their fields so one request can tweak them (widgets, choices) without
    touching another; rows never do, and the copy was 40% of an import's time.
    """

    def __deepcopy__(self, memo):
        return self


class YesNoField(forms.Field):
    """true/false, yes/no or 1/0 in any case; empty is None (not said)."""

    VALUES = {"true": True, "yes": True, "1": True, "false": False, "no": False, "0": False}

    def to_python(self, value):
        value = (value or "").strip().lower()
        if not value:
            return None
        if value not in self.VALUES:
            raise ValidationError(_("enter true, false, yes, no, 1 or 0"), code="invalid")
        return self.VALUES[value]


class RowForm(forms.Form):
    """One CSV row: the model's own fields and validators, plus the optional columns."""

    is_active = YesNoField(required=False)
    password_hash = forms.CharField(required=False, max_length=128, strip=False)
    model_fields: dict[str, models.Field] = {}
    # The integer columns, where a spreadsheet may write 7 as 7.0.
    whole_numbers: tuple[str, ...] = ()

    @classmethod
    def for_record(cls, values: dict[str, str]) -> RowForm:
        for name in cls.whole_numbers:
            if (match := WHOLE_NUMBER.fullmatch(values.get(name, ""))) is not None:
                values[name] = str(int(match[1]))
        return cls(values)

    def clean(self) -> dict:
        # A plain form runs only its own fields' validators; the model's (the username's
        # characters) would wait for a ModelForm's model instance, one per row.
        for name, field in self.model_fields.items():
            if name in self.cleaned_data:
                try:
                    field.run_validators(self.cleaned_data[name])
                except ValidationError as error:
                    self.add_error(name, error)
        return self.cleaned_data

    def clean_username(self) -> str:
        return User.normalize_username(self.cleaned_data["username"])

    def clean_email(self) -> str:
        return User.objects.normalize_email(self.cleaned_data["email"])

    def clean_password_hash(self) -> str:
        value = self.cleaned_data["password_hash"]
        if value:
            try:
                identify_hasher(value)
            except ValueError:
                raise ValidationError(_("not a password hash this site can check")) from None
        return value


@cache
def row_form(role: str) -> type[RowForm]:
    """Return the row form of `role`: user columns and the role's profile fields."""
    config = roles.get(role)
    fields = {
        **forms.fields_for_model(User, fields=USER_COLUMNS),
        **forms.fields_for_model(config.profile_model, fields=config.profile_fields),
    }
    fields["email"].required = config.email_required
    model_fields = {
        **{name: User._meta.get_field(name) for name in USER_COLUMNS},
        **{name: config.profile_model._meta.get_field(name) for name in config.profile_fields},
    }
    whole_numbers = tuple(
        name for name, field in model_fields.items() if isinstance(field, models.IntegerField)
    )
    form_class = type(
        f"{config.proxy.__name__}RowForm",
        (RowForm,),
        {**fields, "model_fields": model_fields, "whole_numbers": whole_numbers},
    )
    form_class.base_fields = _SharedFields(form_class.base_fields)
    return form_class


class _Account(NamedTuple):
    """An existing account a file names, as stored: what an update compares and writes."""

    pk: int
    username: str
    role: str
    email: str
    first_name: str
    last_name: str
    is_active: bool
    password: str
    profile_pk: int | None
    profile: tuple


@dataclass
class _Update:
    account: _Account
    user: dict  # the user fields to write (all of them, changed or not)
    profile: dict
    changed: set[str]  # the names of the fields that change, user's and profile's


def users_import(
    *,
    role: str,
    file: TextIO,
    mode: str = Mode.CREATE,
    dry_run: bool = False,
    progress: Progress = no_progress,
    passwords: TextIO | None = None,
) -> ImportResult:
    """Create or update an account and profile for every row of the CSV `file`, or none.

    `mode` create: every row is a new account; update: every row names an existing account
    of `role` (its username, any case), whose other columns replace the stored ones; upsert:
    either. A row identical to its account is counted unchanged and not written. With
    `passwords` (an open text file), each created account without a `password_hash` gets a
    one-time password, written there as `username,password` CSV before the import commits.
    Return the counts; raise BadFile listing every bad line. `progress` wraps the long
    loops (e.g. `tqdm`).
    """
    config = roles.get(role)
    mode = Mode(mode)
    header, records = read_csv(file, columns=columns(role), optional=OPTIONAL_COLUMNS)
    form_class = row_form(role)
    errors: dict[int, list[str]] = {}
    rows: list[tuple[int, dict]] = []
    seen: dict[str, dict[str, int]] = {"username": {}, "email": {}}
    for line, record in progress(records, desc=_("Checking"), unit="row"):
        if len(record) != len(header):
            errors.setdefault(line, []).append(
                _("expected %(expected)d fields, found %(found)d")
                % {"expected": len(header), "found": len(record)}
            )
            continue
        form = form_class.for_record(dict(zip(header, record, strict=True)))
        valid = form.is_valid()
        row_errors = [f"{name}: {' '.join(messages)}" for name, messages in form.errors.items()]
        for name, earlier in seen.items():
            if not (value := form.cleaned_data.get(name)):
                continue
            if (key := value.lower()) in earlier:
                row_errors.append(
                    _("%(field)s %(value)s repeats line %(line)d")
                    % {"field": name, "value": value, "line": earlier[key]}
                )
            else:
                earlier[key] = line
        if row_errors:
            errors.setdefault(line, []).extend(row_errors)
        if valid:
            rows.append((line, form.cleaned_data))

    accounts = _accounts(config, [data["username"] for _line, data in rows])
    creates: list[dict] = []
    updates: list[_Update] = []
    result = ImportResult()
    targets: dict[int, int] = {}  # line -> the pk of the account it updates
    for line, data in rows:
        account = accounts.get(data["username"].lower())
        if account is not None:
            targets[line] = account.pk  # its own address is no clash, even on a bad line
        problem = _mode_problem(config, mode, data["username"], account)
        if problem:
            errors.setdefault(line, []).append(problem)
        elif account is None:
            creates.append(data)
            result.created += 1
        else:
            update = _update(config, account, data)
            if update.changed:
                updates.append(update)
                result.updated += 1
            else:
                result.unchanged += 1
    renamed = {u.account.pk for u in updates if "email" in u.changed}
    for line, value in _emails_taken(rows, targets, renamed):
        errors.setdefault(line, []).append(
            _("%(field)s %(value)s is already taken") % {"field": "email", "value": value}
        )
    if errors:
        raise BadFile(
            [f"line {line}: {'; '.join(reasons)}" for line, reasons in sorted(errors.items())],
            result,
        )
    if not rows:
        raise BadFile([_("the file has a header but no rows")], result)
    if passwords is not None:
        result.passwords = sum(not data[PASSWORD_HASH] for data in creates)
    if not dry_run:
        # One entry for the whole file, in the same transaction, not one per account; none
        # when the file changes nothing (a re-sync of identical rows writes nothing at all).
        with transaction.atomic(), disable_auditlog():
            _write(config, creates, updates, progress, passwords)
            if result.created or result.updated:
                audit_bulk(
                    model=config.proxy,
                    operation=f"import ({mode.value})",
                    counts={
                        "created": result.created,
                        "updated": result.updated,
                        "unchanged": result.unchanged,
                    },
                )
    return result


def _mode_problem(
    config: roles.RoleAppConfig, mode: Mode, username: str, account: _Account | None
) -> str:
    """Return why a row may not create or update `account` (None: no such account)."""
    names = {"value": username}
    if account is None:
        if mode == Mode.UPDATE:
            return _("username %(value)s: no such %(role)s account") % {
                **names,
                "role": config.role_name,
            }
        return ""
    if mode == Mode.CREATE:
        return _("%(field)s %(value)s is already taken") % {**names, "field": "username"}
    if account.role != config.role:
        return _("username %(value)s is taken by an account of another role (%(role)s)") % {
            **names,
            "role": roles.label(account.role).lower(),
        }
    return ""


def _update(config: roles.RoleAppConfig, account: _Account, data: dict) -> _Update:
    """Return what `data` changes in `account`: the fields given replace the stored ones."""
    user = {
        "email": data["email"],
        "first_name": data["first_name"],
        "last_name": data["last_name"],
        # Empty or absent: unchanged. A password is only ever replaced by another hash.
        "is_active": account.is_active if data[IS_ACTIVE] is None else data[IS_ACTIVE],
        "password": data[PASSWORD_HASH] or account.password,
    }
    profile = {name: data[name] for name in config.profile_fields}
    stored_profile = dict(zip(config.profile_fields, account.profile, strict=True))
    changed = {name for name, value in user.items() if getattr(account, name) != value}
    if account.profile_pk is None:
        changed.add("profile")
    else:
        changed |= {name for name, value in profile.items() if stored_profile[name] != value}
    return _Update(account, user, profile, changed)


def _accounts(config: roles.RoleAppConfig, usernames: list[str]) -> dict[str, _Account]:
    """Return the accounts of any role named in `usernames`, any case, by lowered username."""
    accessor = config.profile_accessor
    fields = [name for name in _Account._fields if name not in ("profile_pk", "profile")]
    values = [*fields, f"{accessor}__pk", *(f"{accessor}__{n}" for n in config.profile_fields)]
    found: dict[str, _Account] = {}
    for start in range(0, len(usernames), LOOKUP_CHUNK):
        chunk = usernames[start : start + LOOKUP_CHUNK]
        # As typed too: SQLite's LOWER() folds ASCII letters only, as does its unique index.
        query = User.objects.annotate(key=Lower("username")).filter(
            Q(username__in=chunk) | Q(key__in=[name.lower() for name in chunk])
        )
        for row in query.values_list(*values):
            account = _Account(*row[: len(fields) + 1], row[len(fields) + 1 :])
            found[account.username.lower()] = account
    return found


def _emails_taken(
    rows: list[tuple[int, dict]], targets: dict[int, int], renamed: set[int]
) -> list[tuple[int, str]]:
    """Return the rows whose email another account keeps, any case.

    An account the row updates holds it already; an account the file gives another
    address releases it (two accounts may swap addresses in one file).
    """
    wanted = {data["email"].lower(): (line, data["email"]) for line, data in rows if data["email"]}
    keys = list(wanted)
    taken = []
    for start in range(0, len(keys), LOOKUP_CHUNK):
        chunk = keys[start : start + LOOKUP_CHUNK]
        # Not empty: lets PostgreSQL use the partial unique index on LOWER(email).
        holders = (
            User.objects.exclude(email="")
            .annotate(key=Lower("email"))
            .filter(key__in=chunk)
            .values_list("pk", "key")
        )
        for pk, key in holders:
            line, value = wanted[key]
            if targets.get(line) != pk and pk not in renamed:
                taken.append((line, value))
    return sorted(taken)


def read_csv(
    file: TextIO, *, columns: tuple[str, ...], optional: tuple[str, ...] = ()
) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """Return the header and the records with a value, each with its first physical line.

    The delimiter is the one of `DELIMITERS` the header line uses most (a comma if none).
    The header must name every one of `columns`, any of `optional`, and nothing else, each
    once, in any case and with any spaces, dashes or underscores; it comes back as those
    names. BadFile otherwise, and for a file that is not text or not CSV.
    """
    try:
        text = file.read().removeprefix("\ufeff")
    except UnicodeDecodeError:
        raise BadFile(
            [_("this is not a UTF-8 text file; save the spreadsheet as CSV UTF-8")]
        ) from None
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text), strict=True)
    records = []
    try:
        header = [cell.strip() for cell in next(reader, [])]
        if not any(header):
            raise BadFile([_("the file is empty")])
        header = _check_header(header, columns, optional)
        line = reader.line_num
        for record in reader:
            if any(cell.strip() for cell in record):  # blank lines carry nothing
                records.append((line + 1, record))
            line = reader.line_num
    except csv.Error as exc:
        raise BadFile([f"line {reader.line_num}: {_('not valid CSV')} ({exc})"]) from None
    return header, records


def _delimiter(text: str) -> str:
    """Return the delimiter the header line uses most (outside quotes), a comma if none."""
    header = re.sub(r'"[^"]*"', "", text.split("\n", 1)[0])
    counts = {delimiter: header.count(delimiter) for delimiter in DELIMITERS}
    best = max(DELIMITERS, key=lambda delimiter: counts[delimiter])
    return best if counts[best] else ","


def column_key(name: str) -> str:
    """Return a header name as it matches: `First Name`, `first-name`, `FIRST_NAME` alike."""
    return re.sub(r"[\s_-]+", "", name).lower()


def _check_header(
    header: list[str], expected: tuple[str, ...], optional: tuple[str, ...]
) -> list[str]:
    known = {column_key(name): name for name in (*expected, *optional)}
    header = [known.get(column_key(name), name) for name in header]
    missing = [name for name in expected if name not in header]
    unknown = [
        name or _("(a column without a name)") for name in header if name not in known.values()
    ]
    repeated = sorted({name for name in header if header.count(name) > 1})
    if missing or unknown or repeated:
        problems = [
            _("missing %s") % ", ".join(missing) if missing else "",
            _("unknown %s") % ", ".join(unknown) if unknown else "",
            _("repeated %s") % ", ".join(repeated) if repeated else "",
        ]
        if optional:
            rule = _("the header must be %(columns)s (optionally with %(optional)s)")
        else:
            rule = _("the header must be %(columns)s")
        rule %= {"columns": ",".join(expected), "optional": ", ".join(optional)}
        raise BadFile([f"line 1: {rule}: " + "; ".join(p for p in problems if p)])
    return header


def _write(
    config: roles.RoleAppConfig,
    creates: list[dict],
    updates: list[_Update],
    progress: Progress,
    passwords: TextIO | None,
) -> None:
    user_fields = {f.name for f in User._meta.concrete_fields}
    given: list[tuple[str, str]] = []
    users = []
    for data in progress(creates, desc=_("Preparing"), unit="account"):
        fields = {
            name: value
            for name, value in data.items()
            if name in user_fields and name not in ("password", IS_ACTIVE)
        }
        hashed = data[PASSWORD_HASH]
        if not hashed and passwords is not None:
            # The configured hasher (Argon2 in production): most of a large import's time.
            given.append((data["username"], one_time_password()))
            hashed = make_password(given[-1][1])
            fields["must_change_password"] = True
        users.append(
            config.proxy(
                role=config.role,
                # No usable password unless one is given: they choose it through password reset.
                password=hashed or _unusable_password(),
                is_active=True if data[IS_ACTIVE] is None else data[IS_ACTIVE],
                **fields,
            )
        )
    try:
        with transaction.atomic():
            for start in progress(
                range(0, len(users), BATCH_SIZE), desc=_("Creating"), unit="batch"
            ):
                config.proxy.objects.bulk_create(users[start : start + BATCH_SIZE])
            profiles = [
                config.profile_model(
                    user=user, **{name: data[name] for name in config.profile_fields}
                )
                for user, data in zip(users, creates, strict=True)
            ]
            profiles += [
                config.profile_model(user_id=update.account.pk, **update.profile)
                for update in updates
                if update.account.profile_pk is None
            ]
            config.profile_model.objects.bulk_create(profiles, batch_size=BATCH_SIZE)
            _write_updates(config, updates, progress)
            if passwords is not None:
                writer = csv.writer(passwords)
                writer.writerow(["username", "password"])
                writer.writerows(given)
                passwords.flush()  # a file that cannot be written rolls the import back
    except IntegrityError as exc:
        # Another account took a name while we checked, or the database refused a value.
        raise BadFile(
            [_("the database refused the rows, nothing was imported: %s") % exc]
        ) from None


def _write_updates(config: roles.RoleAppConfig, updates: list[_Update], progress: Progress) -> None:
    if not updates:
        return
    renamed = [update.account.pk for update in updates if "email" in update.changed]
    # Free the addresses first: two accounts may swap theirs, and the unique index is
    # checked row by row. An empty address is outside it.
    for start in range(0, len(renamed), LOOKUP_CHUNK):
        User.objects.filter(pk__in=renamed[start : start + LOOKUP_CHUNK]).update(email="")
    user_fields = sorted({name for u in updates for name in u.changed if name in u.user})
    if user_fields:
        users = [
            config.proxy(pk=u.account.pk, **u.user)
            for u in updates
            if not u.changed.isdisjoint(user_fields)
        ]
        for start in progress(
            range(0, len(users), UPDATE_BATCH_SIZE), desc=_("Updating"), unit="batch"
        ):
            config.proxy.objects.bulk_update(users[start : start + UPDATE_BATCH_SIZE], user_fields)
    profile_fields = sorted(
        {name for u in updates for name in u.changed if name in config.profile_fields}
    )
    if profile_fields:
        profiles = [
            config.profile_model(pk=u.account.profile_pk, user_id=u.account.pk, **u.profile)
            for u in updates
            if u.account.profile_pk is not None and not u.changed.isdisjoint(profile_fields)
        ]
        config.profile_model.objects.bulk_update(
            profiles, profile_fields, batch_size=UPDATE_BATCH_SIZE
        )


def _unusable_password() -> str:
    # What make_password(None) makes, from os.urandom rather than 40 calls to
    # secrets.choice: that was 15% of an import's time.
    return UNUSABLE_PASSWORD_PREFIX + secrets.token_urlsafe(30)


def users_export(
    *,
    role: str,
    file: TextIO,
    queryset: models.QuerySet | None = None,
    password_hash: bool = False,
) -> int:
    """Write the accounts of `role` (or `queryset` of them) as CSV that users_import reads."""
    config = roles.get(role)
    if queryset is None:
        queryset = config.proxy.objects.all()
    header = [*columns(role), *([PASSWORD_HASH] if password_hash else [])]
    writer = csv.writer(file)
    writer.writerow(header)
    count = 0
    for user in _ordered(queryset.select_related(config.profile_accessor)):
        profile = getattr(user, config.profile_accessor, None)
        row = [getattr(user, name) for name in USER_COLUMNS]
        row += [getattr(profile, name, "") for name in config.profile_fields]
        if password_hash:
            usable = user.password and not user.password.startswith(UNUSABLE_PASSWORD_PREFIX)
            row.append(user.password if usable else "")
        writer.writerow(row)
        count += 1
    return count


def _ordered(queryset: models.QuerySet) -> Iterator[User]:
    return queryset.order_by("pk").iterator(chunk_size=BATCH_SIZE)
