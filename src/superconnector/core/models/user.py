from typing import TYPE_CHECKING, ClassVar

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from superconnector.core.validators import SingleLineFields

if TYPE_CHECKING:
    _UserManagerBase = BaseUserManager["User"]
else:
    _UserManagerBase = BaseUserManager  # generic only to the type checker


class UserManager(_UserManagerBase):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields) -> "User":
        if not email:
            raise ValueError("a user needs an e-mail address")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)  # None gives an unusable password: sign-in links only
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields) -> "User":
        fields.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **fields)


class User(SingleLineFields, AbstractBaseUser, PermissionsMixin):
    """A login account. Delegates, organisers and platform staff all sign in by e-mail.

    The business-card side of a person (title, phone, organisation) lives in
    directory.Person, which links here once the person has an account.
    """

    email = models.EmailField(_("e-mail"), unique=True)
    name = models.CharField(_("name"), max_length=200, blank=True)
    locale = models.CharField(_("preferred language"), max_length=16, blank=True)
    is_staff = models.BooleanField(_("platform staff"), default=False)
    # Creating an event makes its creator a full organiser of it, so it is a platform right
    # that staff grant (in the admin), not something every team member may do.
    can_create_events = models.BooleanField(
        _("may create events"),
        default=False,
        help_text=_(
            "Lets this person set up new events in the back office (and become their "
            "organiser). Platform staff may always."
        ),
    )
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)

    objects = UserManager()
    # The name is the display name of mails' addresses and in other people's subjects.
    single_line_fields = ("name",)

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_ci_unique"),
        ]

    def __str__(self) -> str:
        return self.name or self.email

    def get_full_name(self) -> str:
        return self.name or self.email

    def get_short_name(self) -> str:
        return self.name or self.email
