"""Two-factor devices for tests, and codes computed from their secrets as an app would."""

import time

from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice


def totp_device(user, *, confirmed: bool = True) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="phone", confirmed=confirmed)


def recovery_codes(user, *codes: str) -> StaticDevice:
    device = StaticDevice.objects.create(user=user, name="Recovery codes", confirmed=True)
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return device


def totp_code(device: TOTPDevice, *, at: float | None = None) -> str:
    """Return the code `device`'s authenticator app shows at `at` (now), from its secret."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits)
    totp.time = time.time() if at is None else at
    return f"{totp.token():0{device.digits}d}"


def otp_verify(client, user) -> None:
    """Log `client` in as `user`, a session that passed two-factor (with a device if needed)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or totp_device(user)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


def log_in(client, user) -> None:
    """Log `client` in as `user` (force_login); staff past the second step, as the admin needs."""
    if user.is_staff:
        otp_verify(client, user)
    else:
        client.force_login(user)
