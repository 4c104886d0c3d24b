"""Setting up, removing and resetting a user's two-factor devices (django-otp)."""

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django_otp import devices_for_user
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from usersessions.services import sessions_end

RECOVERY_CODES = 10


def totp_pending(*, user) -> TOTPDevice:
    """Return `user`'s unconfirmed authenticator, made once so the QR code stays the same."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(
        user=user, name=str(settings.OTP_TOTP_ISSUER), confirmed=False
    )


@transaction.atomic
def twofactor_enable(*, request: HttpRequest, device: TOTPDevice) -> list[str]:
    """Confirm `device`, make new recovery codes and return them; verify this session and end
    the user's other sessions (they passed no second factor)."""
    user = device.user
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    StaticDevice.objects.filter(user=user).delete()
    recovery = StaticDevice.objects.create(user=user, name="Recovery codes", confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=recovery, token=code) for code in codes)
    otp_login(request, device)
    sessions_end(user=user, keep=request.session.session_key)
    return codes


@transaction.atomic
def twofactor_disable(*, user) -> int:
    """Remove every two-factor device of `user` (authenticators, recovery codes); return how many."""
    devices = list(devices_for_user(user, confirmed=None))
    for device in devices:
        device.delete()
    return len(devices)


def twofactor_reset(*, user) -> tuple[int, int]:
    """Remove `user`'s devices and end all their sessions (a lost phone); return both counts."""
    removed = twofactor_disable(user=user)
    return removed, sessions_end(user=user)
