"""A person's address and login: who may change them, and which account a person gets.

People are platform-wide records (directory.Person), and a person's e-mail is also the
login of their account (core.User), so both are guarded here, in one place:

- An existing person's e-mail changes only through `change_email`: called when the person
  confirms a link sent to the new address (portal/domain/email_change.py) or by platform
  staff in the admin. Person and account change together, every event that shows the
  person gets an audit entry, and the old address is told. No organiser page, import or
  API operation calls it; an organiser sets an e-mail only when creating a new person.
- A person gets a login only through `link_account`, which refuses an account whose
  address is not the person's own, and a person who already has another account.
"""

from __future__ import annotations

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from superconnector.core.models import SignInLink, User
from superconnector.core.models.signin import EmailChangeLink
from superconnector.core.outbox import queue_mail
from superconnector.directory.domain.languages import in_language_of_person
from superconnector.directory.identity import normalise_email
from superconnector.directory.models import Person
from superconnector.events.domain.audit import record_audit
from superconnector.events.models import Event


class AccountRefused(Exception):
    """A link between a person and an account, or a change of address, that must not be."""


def same_address(a: str, b: str) -> bool:
    return normalise_email(a or "") == normalise_email(b or "")


def address_holder(email: str, *, user: User | None = None, person: Person | None = None):
    """Another account or person that already has `email` (ignoring case), or None.
    `user` and `person` are the ones asking, who do not count."""
    email = normalise_email(email)
    others = User.objects.filter(email__iexact=email)
    if user is not None and user.pk:
        others = others.exclude(pk=user.pk)
    holder = others.first()
    if holder is not None:
        return holder
    people = Person.objects.filter(email__iexact=email)
    if person is not None and person.pk:
        people = people.exclude(pk=person.pk)
    return people.first()


def refuse_taken_address(email: str, *, user: User | None = None, person: Person | None = None):
    if address_holder(email, user=user, person=person) is not None:
        raise AccountRefused(
            _(
                "%(email)s is already the address of another person or account on this "
                "platform; choose another address, or ask platform staff to merge the two."
            )
            % {"email": normalise_email(email)}
        )


def link_account(person: Person, user: User) -> None:
    """Give `person` the login `user`. The only way Person.user is set for a login.

    Refused unless the account's address is the person's own: an invitation or a sign-in
    link reaches the account's address, so linking another address's account would hand
    this person's record (their agenda, their organisation's profile, their data export)
    to whoever reads that mailbox. Refused as well if the person already has another
    account, or the account already belongs to another person.
    """
    if person.user_id == user.pk:
        return
    if person.user_id is not None:
        raise AccountRefused(
            _("%(person)s already has another account; it cannot be replaced.")
            % {"person": person.email}
        )
    if not same_address(person.email, user.email):
        raise AccountRefused(
            _(
                "The account %(account)s cannot be linked to %(person)s: an account is only "
                "ever linked to the person with the same e-mail address."
            )
            % {"account": user.email, "person": person.email}
        )
    if Person.objects.filter(user=user).exclude(pk=person.pk).exists():
        raise AccountRefused(
            _("The account %(account)s already belongs to another person.")
            % {"account": user.email}
        )
    person.user = user
    person.save(update_fields=["user", "updated_at"])


def account_for(person: Person) -> User:
    """The person's account, made (without a password: sign-in links only) and linked if
    there is none. Refuses (AccountRefused) a person whose linked account has another
    address than theirs: nothing is sent for them until staff sort it out."""
    linked = person.user
    if linked is not None:
        if not same_address(linked.email, person.email):
            raise AccountRefused(
                _(
                    "%(person)s is linked to the account %(account)s, whose address differs; "
                    "nothing is sent until platform staff correct it."
                )
                % {"person": person.email, "account": linked.email}
            )
        return linked
    user = User.objects.filter(email__iexact=normalise_email(person.email)).first()
    if user is None:
        user = User.objects.create_user(person.email, None, name=person.name)
    link_account(person, user)
    return user


def events_showing(person: Person | None, user: User | None) -> list[Event]:
    """The events whose organisers see this person or account: where they take part, and
    where they are in a team (team pages list members' addresses)."""
    events = Event.objects.none()
    if person is not None and person.pk:
        events = Event.objects.filter(participants__person=person)
    if user is not None and user.pk:
        events = events | Event.objects.filter(teams__members=user)
    return list(events.distinct().order_by("pk"))


def record_account_change(actor, person: Person | None, user: User | None, **detail) -> None:
    """Write a change of a person's address or login to the audit log of every event that
    shows them (or to the platform's log, event-less, if none does)."""
    if person is not None:
        subject = f"person:{person.pk}"
    elif user is not None:
        subject = f"user:{user.pk}"
    else:
        raise ValueError("record_account_change needs a person or an account")
    events = events_showing(person, user)
    for event in events:
        record_audit(actor, "change", subject, event=event, **detail)
    if not events:
        record_audit(actor, "change", subject, **detail)


@transaction.atomic
def change_email(
    new_email: str,
    *,
    user: User | None = None,
    person: Person | None = None,
    actor,
    via: str,
) -> str:
    """Change the address of an account and its person (or of a person without account)
    together, and return the old one. `via` says how it was authorised: "confirmed link"
    (the person proved they read the new address) or "staff" (the admin).

    Unused sign-in links and pending e-mail changes stop working (they were mailed for the
    old address), the old address gets a notice, and every event that shows the person
    gets an audit entry.
    """
    if user is None:
        if person is None:
            raise ValueError("change_email needs a user or a person")
        user = person.user
    if person is None and user is not None:
        person = Person.objects.filter(user=user).first()
    if user is not None:
        user = User.objects.select_for_update().get(pk=user.pk)
    if person is not None:
        person = Person.objects.select_for_update().get(pk=person.pk)
    new_email = normalise_email(new_email)
    if user is not None:
        old_email = user.email
    elif person is not None:
        old_email = person.email
    else:  # neither: refused above
        raise ValueError("change_email needs a user or a person")
    if person is not None and person.erased_at is not None:
        raise AccountRefused(_("An erased person's address cannot be changed."))
    if same_address(old_email, new_email) and (
        person is None or same_address(person.email, new_email)
    ):
        raise AccountRefused(_("%(email)s is already the address.") % {"email": new_email})
    refuse_taken_address(new_email, user=user, person=person)

    detail = {"field": "email", "old": old_email, "new": new_email, "via": via}
    if person is not None and not same_address(person.email, old_email):
        detail["old_person"] = person.email  # a record whose account had another address
    try:
        with transaction.atomic():
            if user is not None:
                user.email = new_email  # the login (USERNAME_FIELD) is the address
                user.save(update_fields=["email"])
            if person is not None:
                person.email = new_email
                person.save(update_fields=["email", "updated_at"])
    except IntegrityError:
        # Taken by someone else between the check above and the write.
        refuse_taken_address(new_email, user=user, person=person)
        raise
    if user is not None:
        now = timezone.now()
        SignInLink.objects.filter(user=user, used_at__isnull=True).update(used_at=now)
        EmailChangeLink.objects.filter(user=user, used_at__isnull=True).update(used_at=now)

    record_account_change(actor, person, user, **detail)
    _tell_old_address(old_email, new_email, user=user, person=person, via=via)
    return old_email


def _tell_old_address(
    old_email: str, new_email: str, *, user: User | None, person: Person | None, via: str
) -> None:
    if person is not None:
        language = in_language_of_person(person)
    else:
        language = translation.override((user.locale if user else "") or settings.LANGUAGE_CODE)
    with language:
        who = (
            _("Platform staff made this change.")
            if via == "staff"
            else _("The change was confirmed from the new address.")
        )
        queue_mail(
            old_email,
            _("Your e-mail address on Superconnector was changed"),
            _(
                "The e-mail address of your Superconnector account was changed from "
                "%(old)s to %(new)s. %(who)s From now on, mail and sign-in links go to the "
                "new address only.\n\nIf you did not ask for this, reply to this mail or "
                "contact the event's organisers at once."
            )
            % {"old": old_email, "new": new_email, "who": who},
            kind="email_changed",
        )
