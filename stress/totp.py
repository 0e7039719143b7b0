"""The current TOTP code of a demo account, as `manage.py demo_totp` prints it, without Django.

Demo keys are HMAC-SHA256(DEMO_TOTP_SEED, e-mail) (polesocial.users.totp.demo_totp_key);
codes are RFC 6238: SHA-1, 30-second steps, 6 digits (django-otp's defaults).
"""

from __future__ import annotations

import hashlib
import hmac
import struct
import time


def demo_key(email: str, seed: str) -> bytes:
    hex_key = hmac.new(seed.encode(), email.lower().encode(), hashlib.sha256).hexdigest()[:40]
    return bytes.fromhex(hex_key)


def code(key: bytes, at: float | None = None) -> str:
    counter = int((time.time() if at is None else at) // 30)
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"


def demo_code(email: str, seed: str) -> str:
    return code(demo_key(email, seed))
