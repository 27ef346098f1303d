"""Two-factor pages, to be included at `accounts/two-factor/`:

path("accounts/two-factor/", include("superconnector.core.two_factor_urls")),
"""

from django.urls import path

from superconnector.core import two_factor

urlpatterns = [
    path("", two_factor.overview, name="two-factor"),
    path("setup/", two_factor.set_up, name="two-factor-setup"),
    path("verify/", two_factor.verify, name="two-factor-verify"),
    path("recovery/", two_factor.use_recovery, name="two-factor-recovery"),
    path("recovery-codes/", two_factor.renew_recovery_codes, name="two-factor-recovery-codes"),
]
