"""The login's lockout, made to hold under parallel requests.

django-axes refuses a login once an address has had AXES_FAILURE_LIMIT wrong passwords,
but it reads that count before the password is checked and writes it after: forty
parallel guesses all passed the check and all forty passwords were tried. This backend
counts each try first, in the throttles' atomic step (core/domain/throttle.py), and
refuses the ones past the limit before any password is checked, exactly as axes refuses a
locked-out address (the same 429 page). A successful sign-in clears the count, as it
clears axes' own, and so does lifting a lockout with `axes_reset_username`.
"""

from __future__ import annotations

from axes.backends import AxesStandaloneBackend
from axes.exceptions import AxesBackendPermissionDenied
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_delete
from django.dispatch import receiver

from superconnector.core.domain.throttle import forget, hit, login_username

LOGIN_SCOPE = "login"


class CountingAxesBackend(AxesStandaloneBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        # Axes first: an address it has locked out is refused without counting again.
        super().authenticate(request, username=username, password=password, **kwargs)
        address = login_username(request, {"username": username})
        if hit(
            LOGIN_SCOPE,
            address,
            limit=settings.AXES_FAILURE_LIMIT,
            window=settings.AXES_COOLOFF_TIME,
        ):
            return None  # the next backend checks the password
        # As axes does for an address it has locked out: the middleware shows the lockout
        # page, and Django's authenticate() records the refusal as a failed login.
        request.axes_locked_out = True
        raise AxesBackendPermissionDenied("too many tries for this address")


@receiver(user_logged_in)
def _forget_tries_after_sign_in(sender, request, user, **kwargs) -> None:
    forget(LOGIN_SCOPE, login_username(request, {"username": user.get_username()}))


@receiver(post_delete, sender=AccessAttempt)
def _forget_tries_when_axes_forgets(sender, instance: AccessAttempt, **kwargs) -> None:
    # axes_reset_username and a success delete axes' record of the address: lift ours too.
    forget(LOGIN_SCOPE, instance.username or "")
