"""Forms of the directory's records outside the portal: the admin's person and account forms."""

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import UserChangeForm
from django.utils.translation import gettext as _

from superconnector.directory.domain.accounts import (
    AccountRefused,
    refuse_taken_address,
    same_address,
)
from superconnector.directory.identity import normalise_email
from superconnector.directory.models import Person


class PersonAdminForm(forms.ModelForm):
    """Staff may change a person's address (and so their login, which follows) and link
    an account, but only an account with the person's own address."""

    class Meta:
        model = Person
        # The admin passes its own field list; these are Person's editable fields.
        fields = ["email", "name", "title", "phone", "languages", "user"]

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        email, user = cleaned.get("email"), cleaned.get("user")
        if not email:
            return cleaned
        email = cleaned["email"] = normalise_email(email)
        person = self.instance if self.instance.pk else None
        if person is not None and email != normalise_email(person.email):
            try:
                refuse_taken_address(email, user=user or person.user, person=person)
            except AccountRefused as refused:
                self.add_error("email", str(refused))
        relinked = user is not None and user.pk != getattr(person, "user_id", None)
        if relinked and user is not None and not same_address(user.email, email):
            self.add_error(
                "user",
                _(
                    "The account %(account)s has another address than %(person)s: an "
                    "account is only ever linked to the person with its address."
                )
                % {"account": user.email, "person": email},
            )
        return cleaned


class AccountChangeForm(UserChangeForm):
    """Staff may change an address, but not to one another account or person has."""

    def clean_email(self):
        email = normalise_email(self.cleaned_data["email"])
        if self.instance.pk and email != normalise_email(self.instance.email):
            person = Person.objects.filter(user=self.instance).first()
            try:
                refuse_taken_address(email, user=self.instance, person=person)
            except AccountRefused as refused:
                raise forms.ValidationError(str(refused)) from None
        return email
