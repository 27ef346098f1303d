from superconnector.core.models.mail import OutgoingMail
from superconnector.core.models.mailing import BulkMailing, MailingKind
from superconnector.core.models.signin import SignInLink
from superconnector.core.models.throttle import ThrottleCount
from superconnector.core.models.two_factor import RecoveryCode, TotpDevice
from superconnector.core.models.user import User

__all__ = [
    "BulkMailing",
    "MailingKind",
    "OutgoingMail",
    "RecoveryCode",
    "SignInLink",
    "ThrottleCount",
    "TotpDevice",
    "User",
]
