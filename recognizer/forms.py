"""Forms: the upload form and the history filters (shared by the page and the API)."""
from django import forms
from django.utils.translation import gettext_lazy as _

from . import history

DIGIT_CHOICES = [("", _("Any digit"))] + [(str(d), str(d)) for d in range(10)]
STATUS_CHOICES = [("", _("Any status"))] + [(s, s) for s in history.STATUSES]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class UploadForm(forms.Form):
    # Only the widget lives here: files are checked in submit.py, the same way as the API's.
    image = forms.FileField(
        label=_("Pictures of digits"),
        required=False,
        widget=MultipleFileInput(attrs={"accept": "image/*", "multiple": True}),
    )


class HistoryFilterForm(forms.Form):
    digit = forms.ChoiceField(label=_("Digit"), choices=DIGIT_CHOICES, required=False)
    status = forms.ChoiceField(label=_("Status"), choices=STATUS_CHOICES, required=False)
    page = forms.IntegerField(min_value=1, required=False)

    def filters(self):
        """Keyword arguments for history.page(), from valid data."""
        data = self.cleaned_data
        return {
            "digit": int(data["digit"]) if data.get("digit") else None,
            "status": data.get("status") or None,
        }

    def first_error(self):
        for field, errors in self.errors.items():
            return f"'{field}': {errors[0]}"
        return ""
