"""Forms of the delegate portal: parsing and field validation only; rules live in domain/."""

from __future__ import annotations

import re

from django import forms
from django.contrib.auth.forms import PasswordResetForm
from django.template import loader
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from superconnector.core.domain.throttle import allow_mail_request
from superconnector.core.outbox import queue_mail
from superconnector.directory.domain.languages import in_language_of_account, text_language_choices
from superconnector.directory.labels import (
    list_separator,
    normalise_region,
    normalise_regions,
    normalise_sectors,
    region_label,
    region_labels,
    sector_label,
    sector_labels,
)
from superconnector.directory.models import (
    Category,
    Direction,
    Opportunity,
    Organisation,
    OrganisationKind,
    Person,
)
from superconnector.meetings.models import OutcomeKind

# Delegates type lists with English or Chinese separators: "ai, fintech" or "人工智能、金融".
_LIST_SEPARATORS = re.compile(r"[,;，；、\n]+")


def _choice_field(form: forms.BaseForm, name: str) -> forms.ChoiceField:
    """The form's field `name`, whose choices are set when the form is made."""
    field = form.fields[name]
    if not isinstance(field, forms.ChoiceField):
        raise TypeError(f"{name} is not a choice field")
    return field


class ListField(forms.CharField):
    """A short list typed as comma-separated text, stored as a JSON list."""

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return ", ".join(value)
        return value

    def to_python(self, value) -> list[str]:  # type: ignore[override]  # text in, a list out
        text = super().to_python(value) or ""
        seen: list[str] = []
        for item in _LIST_SEPARATORS.split(text):
            item = item.strip()
            if item and item not in seen:
                seen.append(item)
        return seen


class SectorsField(ListField):
    """Sectors typed in any language (人工智能, AI, fintech): shown as words in the reader's
    language, stored as codes, so that the same sector is one tag (directory/labels.py)."""

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return list_separator().join(sector_labels(value))
        return value

    def to_python(self, value) -> list[str]:  # type: ignore[override]  # text in, a list out
        return normalise_sectors(super().to_python(value))


class RegionsField(ListField):
    """Regions typed in any language (北京, Hong Kong SAR): shown in the reader's language,
    stored by their canonical English names (directory/labels.py)."""

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return list_separator().join(region_labels(value))
        return value

    def to_python(self, value) -> list[str]:  # type: ignore[override]  # text in, a list out
        return normalise_regions(super().to_python(value))


class RegionField(forms.CharField):
    """One region, typed in any language; stored by its canonical English name."""

    def prepare_value(self, value):
        return region_label(value) if isinstance(value, str) and value else value

    def to_python(self, value) -> str:
        return normalise_region(super().to_python(value))


def language_choices() -> list[tuple[str, str]]:
    """The languages one may write a profile or an opportunity in, in the reader's words
    (called when a form is shown, so in its reader's language)."""
    return [("", gettext("Detect from the text")), *text_language_choices()]


class SignInLinkForm(forms.Form):
    email = forms.EmailField(label=_("E-mail"))
    next = forms.CharField(required=False, widget=forms.HiddenInput)


class EmailChangeForm(forms.Form):
    email = forms.EmailField(label=_("New e-mail address"), max_length=254)


class OutboxPasswordResetForm(PasswordResetForm):
    """Django's reset form, but the mail goes through the outbox like every other mail,
    and not more often than the throttle allows (the page answers the same either way)."""

    def save(self, *args, **kwargs) -> None:
        request = kwargs.get("request")
        email = self.cleaned_data["email"]
        if request is not None and not allow_mail_request(request, email, "password-reset"):
            return
        super().save(*args, **kwargs)

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ) -> None:
        # In the account holder's language, not that of whoever filled in the form.
        with in_language_of_account(context.get("user")):
            subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
            body = loader.render_to_string(email_template_name, context)
        queue_mail(to_email, subject, body, kind="password_reset")


class PersonDetailsForm(forms.ModelForm):
    """A delegate's own name (in Latin letters and in Chinese), job title and phone."""

    class Meta:
        model = Person
        fields = ["name", "name_zh", "title", "phone"]
        help_texts = {"name_zh": _("In Chinese characters, if you have one (陈浩然).")}


class OrganisationForm(forms.ModelForm):
    website = forms.URLField(
        label=_("Website"), required=False, max_length=300, assume_scheme="https"
    )
    region = RegionField(label=_("Region"), required=False, max_length=100)
    sectors = SectorsField(label=_("Sectors"), required=False, help_text=_("Separate with commas."))
    language = forms.ChoiceField(label=_("Language"), choices=language_choices, required=False)

    class Meta:
        model = Organisation
        fields = ["name", "name_zh", "kind", "region", "sectors", "website", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 5})}

    field_order = [*Meta.fields, "language"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        _choice_field(self, "kind").choices = OrganisationKind.choices
        if self.instance.pk:
            self.initial.setdefault("language", self.instance.language)


class OpportunityForm(forms.ModelForm):
    sectors = SectorsField(label=_("Sectors"), required=False, help_text=_("Separate with commas."))
    regions = RegionsField(
        label=_("Regions"), required=False, help_text=_("Where it applies; separate with commas.")
    )
    language = forms.ChoiceField(
        label=_("Language"),
        choices=language_choices,
        required=False,
        help_text=_("The language you write in; others read it in theirs through matching."),
    )

    class Meta:
        model = Opportunity
        fields = ["direction", "category", "title", "description", "sectors", "regions"]
        fields += ["confidential"]
        widgets = {
            "direction": forms.RadioSelect,
            "description": forms.Textarea(attrs={"rows": 6}),
        }

    field_order = [*Meta.fields, "language"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        _choice_field(self, "direction").choices = Direction.choices
        _choice_field(self, "category").choices = Category.choices
        if self.instance.pk:
            self.initial.setdefault("language", self.instance.language)


class MeetingRequestForm(forms.Form):
    recipient = forms.ChoiceField(label=_("Whom to meet"))
    message = forms.CharField(
        label=_("Message"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Say why you would like to meet: it helps them say yes."),
    )
    priority = forms.TypedChoiceField(
        label=_("Priority"),
        coerce=int,
        initial=2,
        choices=[(3, _("High")), (2, _("Normal")), (1, _("Low"))],
        help_text=_("The scheduler places your high-priority meetings first."),
    )

    def __init__(self, *args, recipients: list[tuple[str, str]], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        _choice_field(self, "recipient").choices = recipients
        if len(recipients) == 1:
            self.initial.setdefault("recipient", recipients[0][0])


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (sent to them)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class OutcomeForm(forms.Form):
    kind = forms.ChoiceField(label=_("Outcome"), choices=OutcomeKind.choices)
    value = forms.DecimalField(
        label=_("Value"),
        required=False,
        min_value=0,
        max_digits=14,
        decimal_places=2,
        help_text=_("For an agreement, an investment or a licence, if you may share it."),
    )
    currency = forms.CharField(label=_("Currency"), required=False, max_length=3, initial="HKD")
    note = forms.CharField(
        label=_("Note"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )


class DirectoryFilterForm(forms.Form):
    """Filters of the directory; choices for region and sector come from the event's data."""

    SHOW_CHOICES = [
        ("opportunities", _("Opportunities")),
        ("organisations", _("Organisations")),
        ("people", _("People")),
    ]

    show = forms.ChoiceField(choices=SHOW_CHOICES, required=False)
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    kind = forms.ChoiceField(label=_("Kind of organisation"), required=False)
    region = forms.ChoiceField(label=_("Region"), required=False)
    sector = forms.ChoiceField(label=_("Sector"), required=False)
    category = forms.ChoiceField(label=_("Category"), required=False)
    direction = forms.ChoiceField(label=_("Offer or need"), required=False)
    language = forms.ChoiceField(label=_("Language"), required=False)

    def __init__(self, *args, regions: list[str], sectors: list[str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        anything = [("", _("Any"))]
        _choice_field(self, "kind").choices = anything + list(OrganisationKind.choices)
        # Offered as words in the reader's language; the value stays the stored form.
        _choice_field(self, "region").choices = anything + [(r, region_label(r)) for r in regions]
        _choice_field(self, "sector").choices = anything + [(s, sector_label(s)) for s in sectors]
        _choice_field(self, "category").choices = anything + list(Category.choices)
        _choice_field(self, "direction").choices = anything + list(Direction.choices)
        _choice_field(self, "language").choices = [*anything, *text_language_choices()]


class AvailabilityForm(forms.Form):
    """The sessions a delegate attends, the blocked times to remove and one to add. Times are
    the event's wall clock; the domain (meetings/domain/availability.py) checks the rules."""

    sessions = forms.TypedMultipleChoiceField(
        label=_("Sessions I attend"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    remove = forms.TypedMultipleChoiceField(
        label=_("Remove blocked times"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    day = forms.TypedChoiceField(label=_("Block a time on"), required=False, empty_value=None)
    block_from = forms.TimeField(
        label=_("from"), required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )
    block_to = forms.TimeField(
        label=_("to"), required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )

    def __init__(self, *args, sessions=(), blocks=(), days=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        _choice_field(self, "sessions").choices = list(sessions)
        _choice_field(self, "remove").choices = list(blocks)
        if not blocks:
            del self.fields["remove"]  # an empty "remove" list only puzzles the reader
        _choice_field(self, "day").choices = [("", "—"), *days]

    def clean(self):
        data = super().clean() or {}
        filled = [data.get("day"), data.get("block_from"), data.get("block_to")]
        if any(filled) and not all(filled):
            raise forms.ValidationError(_("To block a time, give its day, start and end."))
        return data
