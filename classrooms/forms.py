from django import forms
from django.utils.translation import gettext_lazy as _

from . import codes


class JoinForm(forms.Form):
    """A join code as a student types it: any case, with the spaces and dashes people add."""

    code = forms.CharField(
        label=_("Class code"),
        # Room for "abcd - efgh" and the like; what counts is the normalized code.
        max_length=4 * codes.LENGTH,
        help_text=_("The 8 letters and digits your teacher gave you, like ABCD-EFGH."),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )

    def clean_code(self) -> str:
        code = codes.normalize(self.cleaned_data["code"])
        if not code:  # only spaces and dashes
            raise forms.ValidationError(self.fields["code"].error_messages["required"], "required")
        return code
