from django.contrib import admin
from django_otp.plugins.otp_totp.models import TOTPDevice

# Authenticators are enrolled by their owner and reset by the security administrator on the staff
# pages (audited); the system administrator does not see their secrets or remove them unaudited.
if admin.site.is_registered(TOTPDevice):
    admin.site.unregister(TOTPDevice)
