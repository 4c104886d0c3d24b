"""Accounts in bulk: the CSV format that `import_users` reads and `export_users` writes.

The columns are the user's own (`USER_COLUMNS`) followed by the role's profile fields, with
an optional `password_hash` column. Import checks every row first and reports every bad
line as `line N: reason` (the header is line 1), then writes all rows or none.
"""

from __future__ import annotations

import csv
import secrets
from collections.abc import Callable, Iterable, Iterator
from functools import cache
from typing import TextIO, TypeVar

from django import forms
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX, identify_hasher
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models.functions import Lower
from django.utils.translation import gettext as _

from . import roles
from .models import User

USER_COLUMNS = ("username", "email", "first_name", "last_name")
PASSWORD_HASH = "password_hash"
# Rows per INSERT: well under SQLite's variable limit, few round trips on PostgreSQL.
BATCH_SIZE = 2000
# A lookup of existing usernames or emails per this many values.
LOOKUP_CHUNK = 5000

T = TypeVar("T")
Progress = Callable[..., Iterable]


def no_progress(iterable: Iterable[T], **kwargs) -> Iterable[T]:
    return iterable


class BadFile(Exception):
    """The file cannot be imported; `errors` lists every reason, one line each."""

    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("\n".join(errors))


def columns(role: str) -> tuple[str, ...]:
    """Return the CSV columns of `role`, in order (without the optional password hash)."""
    return (*USER_COLUMNS, *roles.get(role).profile_fields)


class _SharedFields(dict):
    """Form fields that every instance shares instead of deep-copying them.

    Forms copy their fields so one request can tweak them (widgets, choices) without
    touching another; rows never do, and the copy was 40% of an import's time.
    """

    def __deepcopy__(self, memo):
        return self


class RowForm(forms.Form):
    """One CSV row: the model's own fields and validators, plus an optional password hash."""

    password_hash = forms.CharField(required=False, max_length=128, strip=False)
    model_fields: dict[str, models.Field] = {}

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
    fields["email"].required = True
    model_fields = {
        **{name: User._meta.get_field(name) for name in USER_COLUMNS},
        **{name: config.profile_model._meta.get_field(name) for name in config.profile_fields},
    }
    form_class = type(
        f"{config.proxy.__name__}RowForm", (RowForm,), {**fields, "model_fields": model_fields}
    )
    form_class.base_fields = _SharedFields(form_class.base_fields)
    return form_class


def users_import(
    *, role: str, file: TextIO, dry_run: bool = False, progress: Progress = no_progress
) -> int:
    """Create an account and profile for every row of the CSV `file`, or none.

    Return the number of rows; raise BadFile listing every bad line. `file` should be
    opened with `encoding="utf-8-sig", newline=""`. `progress` wraps the row loops
    (e.g. `tqdm`).
    """
    config = roles.get(role)
    header, records = read_csv(file, columns=columns(role), optional=(PASSWORD_HASH,))
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
        form = form_class(dict(zip(header, record, strict=True)))
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
    for name, taken in _taken(rows).items():
        for line, value in taken:
            errors.setdefault(line, []).append(
                _("%(field)s %(value)s is already taken") % {"field": name, "value": value}
            )
    if errors:
        raise BadFile(
            [f"line {line}: {'; '.join(reasons)}" for line, reasons in sorted(errors.items())]
        )
    if not rows:
        raise BadFile([_("the file has a header but no rows")])
    if not dry_run:
        _write(config, [data for _line, data in rows], progress)
    return len(rows)


def read_csv(
    file: TextIO, *, columns: tuple[str, ...], optional: tuple[str, ...] = ()
) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """Return the header and the non-blank records, each with its first physical line.

    The header must name every one of `columns`, any of `optional`, and nothing else, each
    once; BadFile otherwise, and for a file that is not UTF-8 or not CSV.
    """
    reader = csv.reader(file, strict=True)
    records = []
    try:
        header = [cell.strip() for cell in next(reader, [])]
        if not any(header):
            raise BadFile([_("the file is empty")])
        _check_header(header, columns, optional)
        line = reader.line_num
        for record in reader:
            if any(cell.strip() for cell in record):  # blank lines carry nothing
                records.append((line + 1, record))
            line = reader.line_num
    except UnicodeDecodeError:
        raise BadFile(
            [_("this is not a UTF-8 text file; save the spreadsheet as CSV UTF-8")]
        ) from None
    except csv.Error as exc:
        raise BadFile([f"line {reader.line_num}: {_('not valid CSV')} ({exc})"]) from None
    return header, records


def _check_header(header: list[str], expected: tuple[str, ...], optional: tuple[str, ...]) -> None:
    missing = [name for name in expected if name not in header]
    unknown = [name for name in header if name not in (*expected, *optional)]
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


def _taken(rows: list[tuple[int, dict]]) -> dict[str, list[tuple[int, str]]]:
    """Return, per unique field, the rows whose value an existing account has, any case."""
    taken = {}
    for name in ("username", "email"):
        by_key = {data[name].lower(): (line, data[name]) for line, data in rows}
        keys = list(by_key)
        existing = set()
        for start in range(0, len(keys), LOOKUP_CHUNK):
            existing.update(
                User.objects.annotate(key=Lower(name))
                .filter(key__in=keys[start : start + LOOKUP_CHUNK])
                .values_list("key", flat=True)
            )
        taken[name] = sorted(by_key[key] for key in existing if key in by_key)
    return taken


def _write(config: roles.RoleAppConfig, rows: list[dict], progress: Progress) -> None:
    user_fields = {f.name for f in User._meta.concrete_fields}
    users = [
        config.proxy(
            role=config.role,
            # No usable password unless one is given: they choose it through password reset.
            password=data[PASSWORD_HASH] or _unusable_password(),
            **{
                name: value
                for name, value in data.items()
                if name in user_fields and name != "password"
            },
        )
        for data in rows
    ]
    try:
        with transaction.atomic():
            for start in progress(
                range(0, len(users), BATCH_SIZE), desc=_("Writing"), unit="batch"
            ):
                config.proxy.objects.bulk_create(users[start : start + BATCH_SIZE])
            config.profile_model.objects.bulk_create(
                [
                    config.profile_model(
                        user=user, **{name: data[name] for name in config.profile_fields}
                    )
                    for user, data in zip(users, rows, strict=True)
                ],
                batch_size=BATCH_SIZE,
            )
    except IntegrityError as exc:
        # Another account took a name while we checked, or the database refused a value.
        raise BadFile(
            [_("the database refused the rows, nothing was imported: %s") % exc]
        ) from None


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
