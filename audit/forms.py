"""The audit log's filters (GET): person, user, action and dates."""

from datetime import datetime, time, timedelta

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from codes.parse import BoundedDateField


class _ChoiceIterator(forms.models.ModelChoiceIterator):
    """The users in one plain query: ModelChoiceIterator reads them with `.iterator()`, a
    server-side cursor (DECLARE, FETCH, CLOSE: three round trips) for a list of users."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset:
            yield self.choice(obj)


class _UserChoiceField(forms.ModelChoiceField):
    iterator = _ChoiceIterator


class AuditFilterForm(forms.Form):
    kandidat = forms.IntegerField(
        label=_("Kandidat (nr.)"),
        required=False,
        min_value=1,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        help_text=_("Kandidatens nummer; find en kandidat på CPR-nummer nedenfor."),
    )
    bruger = _UserChoiceField(
        label=_("Bruger"), queryset=get_user_model().objects.none(), required=False
    )
    handling = forms.CharField(
        label=_("Handling"),
        required=False,
        max_length=60,
        help_text=_("Begyndelsen er nok, fx “candidate.” eller “billing.”."),
    )
    fra = BoundedDateField(label=_("Fra og med"), required=False)
    til = BoundedDateField(label=_("Til og med"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A user is shown by name, else e-mail (User.__str__): only those columns read.
        self.fields["bruger"].queryset = (
            get_user_model().objects.only("email", "first_name", "last_name").order_by("email")
        )
        self.fields["bruger"].error_messages["invalid_choice"] = _("Vælg en bruger fra listen.")

    def clean(self):
        data = super().clean()
        if data.get("fra") and data.get("til") and data["til"] < data["fra"]:
            self.add_error("til", _("Til-datoen ligger før fra-datoen."))
        return data

    def selector_kwargs(self) -> dict:
        """The valid filters as audit_events_filtered's arguments (local days, whole days)."""
        data = self.cleaned_data
        zone = timezone.get_current_timezone()

        def start_of(day):
            return timezone.make_aware(datetime.combine(day, time.min), zone)

        return {
            "candidate_id": data.get("kandidat"),
            "actor_id": data["bruger"].pk if data.get("bruger") else None,
            "action": (data.get("handling") or "").strip(),
            "since": start_of(data["fra"]) if data.get("fra") else None,
            "until": start_of(data["til"] + timedelta(days=1)) if data.get("til") else None,
        }
