"""TOTP helpers: the enrolment QR code and the secret shown for manual entry."""

import base64
import hashlib
import hmac

import segno
from django.conf import settings
from django.utils.safestring import SafeString, mark_safe
from django_otp.oath import TOTP


def base32_secret(device) -> str:
    return base64.b32encode(device.bin_key).decode().rstrip("=")


def provisioning_svg(device) -> SafeString:
    """The otpauth:// URL as an inline SVG QR code (no image request, no third party)."""
    svg = segno.make(device.config_url, error="m").svg_inline(scale=5, title="QR code")
    return mark_safe(svg)  # noqa: S308 - produced by segno from our own URL


def demo_totp_key(email: str) -> str:
    """The hex TOTP key of a demo account, derived from the demo seed (demo settings only)."""
    seed = settings.DEMO_TOTP_SEED.encode()
    return hmac.new(seed, email.lower().encode(), hashlib.sha256).hexdigest()[:40]


def current_code(hex_key: str) -> str:
    totp = TOTP(bytes.fromhex(hex_key))
    return f"{totp.token():06d}"
