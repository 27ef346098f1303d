from django.conf import settings
from django.db import models


class TokenLink(models.Model):
    """A link with a single-use token mailed to someone (core/domain/signin.py
    find_usable_token finds it). Only a hash of the token is stored, so a database leak
    gives nobody a usable link; it works once, until it expires."""

    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["-created_at"]


class SignInLink(TokenLink):
    """A one-time sign-in link sent by e-mail (invitations carry one)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sign_in_links"
    )
    next_url = models.CharField(max_length=300, blank=True)

    def __str__(self) -> str:
        return f"sign-in link for {self.user_id} ({self.created_at:%Y-%m-%d %H:%M})"


# Imported from this module (core.models loads it for SignInLink, which registers both).
class EmailChangeLink(TokenLink):
    """A pending change of a user's e-mail address (and so their login), confirmed by a link
    sent to the new address: only someone who reads that mailbox can complete it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="email_change_links"
    )
    new_email = models.EmailField()

    def __str__(self) -> str:
        return f"e-mail change for {self.user_id} ({self.created_at:%Y-%m-%d %H:%M})"
