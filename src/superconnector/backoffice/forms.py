"""Back-office forms: thin, with the rules that need the database left to the domain."""

from __future__ import annotations

import zoneinfo

from django import forms
from django.utils.translation import gettext_lazy as _

from superconnector.directory.models import OrganisationKind, ReviewStatus
from superconnector.events.models import Event, MeetingSession, Team


def _time_zone_choices() -> list[tuple[str, str]]:
    return [(name, name) for name in sorted(zoneinfo.available_timezones()) if "/" in name]


class EventForm(forms.ModelForm):
    timezone = forms.ChoiceField(label=_("time zone"), choices=_time_zone_choices)

    class Meta:
        model = Event
        fields = [
            "slug",
            "name",
            "name_zh",
            "kind",
            "timezone",
            "starts_on",
            "ends_on",
            "venue",
            "description",
            "request_deadline",
            "max_pending_requests",
        ]
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "ends_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "request_deadline": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
            "description": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {"request_deadline": _("In the event's time zone.")}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # The slug is in every link and exchange file already sent out.
            self.fields["slug"].disabled = True

    def clean(self):
        super().clean()
        data = self.cleaned_data
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("The event cannot end before it starts."))
        return data


class SessionForm(forms.ModelForm):
    class Meta:
        model = MeetingSession
        fields = [
            "key",
            "date",
            "start",
            "end",
            "slot_minutes",
            "gap_minutes",
            "tables",
            "location",
        ]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "start": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "end": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        }

    def __init__(self, *args, event: Event, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.event = event
        self.instance.event = event

    def clean_key(self) -> str:
        key = self.cleaned_data["key"]
        clash = MeetingSession.objects.filter(event=self.event, key=key).exclude(
            pk=self.instance.pk
        )
        if clash.exists():
            raise forms.ValidationError(_("Another session of this event has this key."))
        return key

    def clean(self):
        super().clean()
        data = self.cleaned_data
        start, end = data.get("start"), data.get("end")
        if start and end and end <= start:
            self.add_error("end", _("The session must end after it starts."))
        if data.get("slot_minutes") == 0:
            self.add_error("slot_minutes", _("Meetings need at least one minute."))
        if data.get("tables") == 0:
            self.add_error("tables", _("A session needs at least one table."))
        return data


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_("A delegate list (.csv or .xlsx) or an exchange document (.json)."),
    )


class ReviewFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Review"), required=False, choices=[("", _("all")), *ReviewStatus.choices]
    )
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("all")), *OrganisationKind.choices]
    )
    q = forms.CharField(label=_("Search"), required=False)


class SchedulingForm(forms.Form):
    time_limit = forms.IntegerField(
        label=_("Time limit (seconds)"), min_value=5, max_value=3600, initial=60
    )


class TeamForm(forms.ModelForm):
    members = forms.CharField(
        label=_("members"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("E-mail addresses, one per line. New people sign in with a one-time link."),
    )

    class Meta:
        model = Team
        fields = ["name", "can_view", "can_edit", "can_export", "can_schedule", "can_check_in"]
        fields += ["can_teams"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            emails = self.instance.members.order_by("email").values_list("email", flat=True)
            self.initial["members"] = "\n".join(emails)

    def clean_members(self) -> list[str]:
        validate = forms.EmailField().clean
        emails = []
        for number, line in enumerate(self.cleaned_data["members"].splitlines(), start=1):
            if not line.strip():
                continue
            try:
                emails.append(validate(line.strip()).lower())
            except forms.ValidationError:
                raise forms.ValidationError(
                    _("Line %(line)s is not an e-mail address: %(value)s"),
                    params={"line": number, "value": line.strip()},
                ) from None
        return sorted(set(emails))
