"""No admin of two-factor devices: django-otp's own would show their secret keys."""

from django.contrib import admin
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

# django-otp's own admins show each device's secret key to staff: nobody needs it there
# (`manage.py reset_2fa` removes a user's devices).
for model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(model):
        admin.site.unregister(model)
