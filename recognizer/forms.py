"""Forms: the upload form, the history filters (shared by the page and the API), corrections."""
from datetime import date, datetime, time, timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import history

DIGIT_CHOICES = [("", _("Any digit"))] + [(str(d), str(d)) for d in range(10)]
STATUS_LABELS = {
    "queued": _("queued"),
    "started": _("started"),
    "finished": _("finished"),
    "failed": _("failed"),
}
STATUS_CHOICES = [("", _("Any status"))] + [(s, STATUS_LABELS[s]) for s in history.STATUSES]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class UploadForm(forms.Form):
    # Only the widget lives here: files are checked in submit.py, the same way as the API's.
    image = forms.FileField(
        label=_("Pictures of digits"),
        required=False,
        widget=MultipleFileInput(attrs={"accept": "image/*", "multiple": True}),
    )


MAX_PAGE = 10_000_000


def _day_start(day, zone):
    """The epoch seconds when `day` begins in `zone`, or None when that lies outside what a
    timestamp can hold (year 1, year 9999): such a bound filters nothing anyway."""
    try:
        return datetime.combine(day, time.min, zone).timestamp()
    except (OverflowError, ValueError, OSError):
        return None


class HistoryFilterForm(forms.Form):
    digit = forms.ChoiceField(label=_("Digit"), choices=DIGIT_CHOICES, required=False)
    status = forms.ChoiceField(label=_("Status"), choices=STATUS_CHOICES, required=False)
    date_from = forms.DateField(label=_("From"), required=False,
                                widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("To"), required=False,
                              widget=forms.DateInput(attrs={"type": "date"}))
    q = forms.CharField(label=_("File name contains"), required=False, max_length=255,
                        widget=forms.TextInput(attrs={"type": "search"}))
    # Far past any history's last page, and small enough that offsets stay 64-bit for Redis.
    page = forms.IntegerField(min_value=1, max_value=MAX_PAGE, required=False)

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            raise forms.ValidationError(_("The start date is after the end date."))
        return data

    def filters(self):
        """Keyword arguments for history.page() and history.iter_ids(), from valid data.

        Dates are whole days in the site's time zone; the end date is included.
        """
        data = self.cleaned_data
        zone = timezone.get_current_timezone()
        since = until = None
        if data.get("date_from"):
            since = _day_start(data["date_from"], zone)
        if data.get("date_to") and data["date_to"] < date.max:
            until = _day_start(data["date_to"] + timedelta(days=1), zone)
            if until is not None:
                until -= 1e-6
        return {
            "digit": int(data["digit"]) if data.get("digit") else None,
            "status": data.get("status") or None,
            "since": since,
            "until": until,
            "q": (data.get("q") or "").strip() or None,
        }

    def first_error(self):
        for field, errors in self.errors.items():
            if field == "__all__":
                return str(errors[0])
            return f"'{field}': {errors[0]}"
        return ""


class CorrectionForm(forms.Form):
    digit = forms.TypedChoiceField(label=_("It is a"), coerce=int,
                                   choices=[(d, str(d)) for d in range(10)])
