"""Validators shared by models, the exchange format and forms."""

import re
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db.models import Field
from django.utils.deconstruct import deconstructible
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

KEY_PATTERN = r"^[A-Za-z0-9_.\-]{1,64}$"
KEY_RE = re.compile(KEY_PATTERN)
KEY_HELP = "1-64 characters of letters, digits, '-', '_' and '.'"

validate_key = RegexValidator(KEY_RE, f"Keys are {KEY_HELP}.")

# Control characters (C0, DEL, C1: CR, LF, tab, NUL, …) and the Unicode line and paragraph
# separators. Names and titles go into mail subjects, where a line break would start a
# new header (Django refuses to send such a mail at all), and into CSV, iCalendar and badge
# lines, where it breaks the line.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def has_control_characters(value: object) -> bool:
    return isinstance(value, str) and CONTROL_CHARACTERS.search(value) is not None


def single_line(value: str, replacement: str = " ") -> str:
    """`value` with every control character replaced and the spaces that leaves collapsed:
    for composing a mail header from a value stored before it was refused."""
    return " ".join(CONTROL_CHARACTERS.sub(replacement, value).split())


def control_characters_error(label: str | None = None) -> ValidationError:
    if label:
        return ValidationError(
            _(
                "%(field)s must be on one line: line breaks and other control characters "
                "are not allowed."
            ),
            code="control_characters",
            params={"field": capfirst(label)},
        )
    return ValidationError(
        _("This must be on one line: line breaks and other control characters are not allowed."),
        code="control_characters",
    )


@deconstructible
class SingleLineValidator:
    """Refuses line breaks and other control characters; the message names `label`."""

    def __init__(self, label: str | None = None) -> None:
        self.label = label

    def __call__(self, value: object) -> None:
        if has_control_characters(value):
            raise control_characters_error(self.label)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, SingleLineValidator) and other.label == self.label


validate_single_line = SingleLineValidator()


if TYPE_CHECKING:
    from django.db.models import Model as _ModelMixin
else:
    _ModelMixin = object  # a mixin for models; a Model base only to the type checker


class SingleLineFields(_ModelMixin):
    """Model mixin: the fields named in `single_line_fields` refuse control characters in
    full_clean(), so in every ModelForm (portal, back office) and the Django admin, with
    the field's own name in the message.

    A mixin rather than field validators: validators are part of a field's migration state,
    and these fields belong to several apps; the check itself needs no schema change.
    """

    single_line_fields: tuple[str, ...] = ()

    def clean_fields(self, exclude=None) -> None:
        errors: dict[str, list[ValidationError]] = {}
        try:
            super().clean_fields(exclude=exclude)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        for name in self.single_line_fields:
            if (exclude and name in exclude) or name in errors:
                continue
            if has_control_characters(getattr(self, name)):
                field = self._meta.get_field(name)
                label = field.verbose_name if isinstance(field, Field) else name
                errors[name] = [control_characters_error(str(label))]
        if errors:
            raise ValidationError(errors)
