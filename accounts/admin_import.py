"""The admin's CSV import: upload, preview the dry run, confirm. The service is the command's.

Between the preview and the confirmation the file travels in the confirm form itself,
compressed and signed (`django.core.signing`), not on the server: it works with any number of
processes and machines, any session and cache backend, leaves nothing to clean up, and the
signature (bound to the role and the staff member, valid an hour) makes sure what is
written is exactly the file previewed. The row limit keeps that field small; bigger files
belong to `manage.py import_users`.
"""

from __future__ import annotations

import io

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from . import bulk

# Bigger files go to the command, which shows progress and is not bound by a request.
MAX_ROWS = 10_000
MAX_BYTES = 2 * 1024 * 1024
CONFIRM_MAX_AGE = 60 * 60  # seconds
ENCODING_CHOICES = [
    ("utf-8", _('UTF-8 ("CSV UTF-8"; also any file with a byte order mark)')),
    ("cp1252", _('Windows-1252 (Excel\'s plain "CSV" on Windows)')),
    ("latin-1", _("Latin-1 (ISO 8859-1)")),
    ("utf-16", _('UTF-16 (Excel\'s "Unicode Text")')),
]


def command_hint(role: str) -> str:
    return f"manage.py import_users --role {role} FILE.csv --mode upsert"


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "Comma, semicolon or tab separated, with a header row; the columns are those of "
            "the export action."
        ),
    )
    mode = forms.ChoiceField(label=_("Mode"), choices=bulk.Mode.choices, initial=bulk.Mode.CREATE)
    encoding = forms.ChoiceField(label=_("Encoding"), choices=ENCODING_CHOICES, initial="utf-8")

    def __init__(self, *args, role: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.role = role

    def clean(self) -> dict:
        data = super().clean()
        upload, encoding = data.get("file"), data.get("encoding")
        if upload is None or encoding is None:
            return data
        too_big = _("This file is over %(rows)s rows: import it with %(command)s.") % {
            "rows": f"{MAX_ROWS:,}",
            "command": command_hint(self.role),
        }
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(too_big, code="too_big")
        try:
            text = bulk.decode(upload.read(), encoding)
        except bulk.BadEncoding as error:
            self.add_error(
                "encoding",
                _(
                    "%(error)s: choose the encoding the file was saved in (on Windows, often "
                    "Windows-1252)."
                )
                % {"error": error.errors[0]},
            )
            return data
        # Physical lines after the header: a cheap upper bound of the rows.
        if len(text.rstrip("\r\n").splitlines()) - 1 > MAX_ROWS:
            raise forms.ValidationError(too_big, code="too_big")
        data["text"] = text
        return data


class ImportView:
    """The import pages of one RoleUserAdmin: GET the form, POST a file (preview) or a
    signed payload (confirm)."""

    template_name = "admin/accounts/import.html"

    def __init__(self, model_admin):
        self.model_admin = model_admin
        self.role = model_admin.config.role

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not self.model_admin.has_import_permission(request):
            raise PermissionDenied
        if request.method == "POST" and "payload" in request.POST:
            return self.confirm(request)
        form = UploadForm(
            request.POST if request.method == "POST" else None,
            request.FILES if request.method == "POST" else None,
            role=self.role,
        )
        if not form.is_valid():
            return self.render(request, form=form)
        text, mode = form.cleaned_data["text"], form.cleaned_data["mode"]
        try:
            result, errors = (
                bulk.users_import(role=self.role, file=_file(text), mode=mode, dry_run=True),
                [],
            )
        except bulk.BadFile as error:
            result, errors = error.result, error.errors
        payload = "" if errors else self.sign(request, text=text, mode=mode)
        if len(payload) > settings.DATA_UPLOAD_MAX_MEMORY_SIZE * 0.9:
            form.add_error(
                None,
                _("This file is too big to confirm here: import it with %s.")
                % command_hint(self.role),
            )
            return self.render(request, form=form)
        return self.render(
            request,
            form=form,
            result=result,
            errors=errors,
            payload=payload,
            mode=bulk.Mode(mode),
            filename=form.cleaned_data["file"].name,
        )

    def confirm(self, request: HttpRequest) -> HttpResponse:
        try:
            data = signing.loads(
                request.POST["payload"],
                salt=self.salt(request),
                max_age=CONFIRM_MAX_AGE,
            )
        except signing.BadSignature:
            messages.error(
                request, _("That preview has expired or is not valid: upload the file again.")
            )
            return HttpResponseRedirect(request.path)
        try:
            result = bulk.users_import(role=self.role, file=_file(data["text"]), mode=data["mode"])
        except bulk.BadFile as error:
            # The accounts changed since the preview.
            return self.render(
                request,
                form=UploadForm(role=self.role, initial={"mode": data["mode"]}),
                result=error.result,
                errors=error.errors,
                payload="",
                mode=bulk.Mode(data["mode"]),
                filename=data["name"],
            )
        messages.success(request, _("Imported: %s.") % result.counts())
        opts = self.model_admin.opts
        return HttpResponseRedirect(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))

    def salt(self, request: HttpRequest) -> str:
        return f"accounts.admin_import:{self.role}:{request.user.pk}"

    def sign(self, request: HttpRequest, *, text: str, mode: str) -> str:
        return signing.dumps(
            {"text": text, "mode": mode, "name": request.FILES["file"].name},
            salt=self.salt(request),
            compress=True,
        )

    def render(self, request: HttpRequest, **context) -> TemplateResponse:
        opts = self.model_admin.opts
        return TemplateResponse(
            request,
            self.template_name,
            {
                **self.model_admin.admin_site.each_context(request),
                "opts": opts,
                "title": _("Import %(name)s from CSV") % {"name": opts.verbose_name_plural},
                "columns": ",".join(bulk.columns(self.role)),
                "optional_columns": ", ".join(bulk.OPTIONAL_COLUMNS),
                "max_rows": f"{MAX_ROWS:,}",
                "command": command_hint(self.role),
                **context,
            },
        )


def _file(text: str) -> io.StringIO:
    return io.StringIO(text, newline="")
