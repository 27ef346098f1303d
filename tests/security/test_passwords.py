"""Passwords are hashed with Argon2 and checked against Django's validators."""

import pytest
from django.conf import settings
from django.contrib.auth.hashers import identify_hasher, make_password
from django.contrib.auth.tokens import default_token_generator
from django.test import override_settings
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

import superconnector.settings as real_settings
from tests.security.conftest import PASSWORD


def test_the_real_settings_hash_new_passwords_with_argon2():
    # The suite hashes with MD5 for speed (tests/settings.py); production must not.
    assert real_settings.PASSWORD_HASHERS[0].endswith(".Argon2PasswordHasher")
    with override_settings(PASSWORD_HASHERS=real_settings.PASSWORD_HASHERS):
        encoded = make_password("a-long-password")
        assert encoded.startswith("argon2$")
        assert identify_hasher(encoded).algorithm == "argon2"


def test_password_validators_are_enabled():
    names = {v["NAME"].rsplit(".", 1)[1] for v in settings.AUTH_PASSWORD_VALIDATORS}
    assert {"MinimumLengthValidator", "CommonPasswordValidator"} <= names


@pytest.mark.django_db
@pytest.mark.parametrize("weak", ["12345678", "password", "short"])
def test_a_weak_password_is_refused_when_setting_a_new_one(client, user, weak):
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    # The link from the mail redirects to a URL without the token before the form.
    form_url = client.get(f"/accounts/reset/{uid}/{token}/")["Location"]
    response = client.post(form_url, {"new_password1": weak, "new_password2": weak})
    assert response.status_code == 200 and "errorlist" in response.text
    user.refresh_from_db()
    assert user.check_password(PASSWORD)

    strong = "amber-lantern-9-quietly"
    response = client.post(form_url, {"new_password1": strong, "new_password2": strong})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(strong)
