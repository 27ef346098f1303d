"""Account pages of the portal, to be included at `accounts/` *before* Django's auth URLs:

    path("accounts/", include("superconnector.portal.account_urls")),

The password-reset views are Django's own with the portal's templates (the admin app's
templates of the same default names would otherwise win) and mail through the outbox.
"""

from django.contrib.auth import views as auth_views
from django.urls import path

from superconnector.portal.forms import OutboxPasswordResetForm
from superconnector.portal.views import account, auth

urlpatterns = [
    path("sign-in-link/", auth.request_sign_in_link, name="sign-in-link"),
    path("sign-in-link/sent/", auth.sign_in_link_sent, name="sign-in-link-sent"),
    path("sign-in/<str:token>/", auth.sign_in_with_link, name="sign-in-with-link"),
    path("email/", account.email_change, name="email-change"),
    path("email/confirm/<str:token>/", account.email_change_confirm, name="email-change-confirm"),
    path(
        "password_reset/",
        auth_views.PasswordResetView.as_view(
            template_name="portal/registration/password_reset_form.html",
            email_template_name="portal/registration/password_reset_email.txt",
            subject_template_name="portal/registration/password_reset_subject.txt",
            form_class=OutboxPasswordResetForm,
        ),
        name="password_reset",
    ),
    path(
        "password_reset/done/",
        auth_views.PasswordResetDoneView.as_view(
            template_name="portal/registration/password_reset_done.html"
        ),
        name="password_reset_done",
    ),
    path(
        "reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="portal/registration/password_reset_confirm.html"
        ),
        name="password_reset_confirm",
    ),
    path(
        "reset/done/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="portal/registration/password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
]
