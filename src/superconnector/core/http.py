"""Request types for views behind a sign-in, so that `request.user` is a User to a type checker."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest

if TYPE_CHECKING:
    from superconnector.core.models import User


class AuthenticatedHttpRequest(HttpRequest):
    """The request of a view behind login_required: its user is signed in (never anonymous).

    Only an annotation: Django builds a plain HttpRequest, this class is never instantiated.
    """

    user: User
