"""The studio's one security stack (the preview uses it too).

* loopback by default; any other bind needs a password (RADIO_STUDIO_PASSWORD, or
  the scrypt hash `radio studio --set-password` keeps in .radio/studio-password)
  and then every request but the login needs a session;
* a Host allow-list (Starlette's TrustedHostMiddleware, set up in app.py);
* every state-changing request (anything but GET/HEAD) needs the session's CSRF
  token in ``X-CSRF-Token`` and an ``Origin`` equal to the studio's own;
* failed logins are limited per client address;
* uploads are limited in size before anything is read (Content-Length).
"""
from __future__ import annotations

import hashlib
import hmac
import ipaddress
import os
import secrets
import threading
import time
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import UserError
from ..fsio import write_text
from ..i18n import _l

PASSWORD_FILE = "studio-password"
ENV_PASSWORD = "RADIO_STUDIO_PASSWORD"
SESSION_COOKIE = "radio_studio"
SAFE_METHODS = ("GET", "HEAD")
SCRYPT = {"n": 2 ** 14, "r": 8, "p": 1}
LOGIN_TRIES = 5            # failed logins per address ...
LOGIN_WINDOW_S = 60.0      # ... per this many seconds
SESSION_TTL_S = 12 * 3600
MAX_GUEST_SESSIONS = 1000  # sessions not logged in kept at once (every cookieless request
                           # makes one: a script on the LAN must not fill the memory)


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


# -- passwords ---------------------------------------------------------------
def hash_password(password: str, salt: bytes | None = None) -> str:
    """The password's scrypt hash, of its NFC form: a Vietnamese password typed with a
    keyboard that composes (NFC) or one that does not (NFD, "Unicode tổ hợp") is one."""
    salt = salt or secrets.token_bytes(16)
    password = unicodedata.normalize("NFC", password)
    digest = hashlib.scrypt(password.encode(), salt=salt, dklen=32, **SCRYPT)
    return f"scrypt${SCRYPT['n']}${SCRYPT['r']}${SCRYPT['p']}${salt.hex()}${digest.hex()}"


def check_password(password: str, stored: str) -> bool:
    """*password* (in NFC; as typed too, for a hash made before passwords were NFC)
    against *stored*."""
    try:
        kind, n, r, p, salt, digest = stored.strip().split("$")
        if kind != "scrypt":
            return False
        tries = dict.fromkeys([unicodedata.normalize("NFC", password), password])
        got = [hashlib.scrypt(text.encode(), salt=bytes.fromhex(salt), dklen=32,
                              n=int(n), r=int(r), p=int(p)) for text in tries]
    except (ValueError, TypeError):
        return False
    return any(hmac.compare_digest(one.hex(), digest) for one in got)


def set_password(state_dir: Path, password: str) -> Path:
    """Keep the password's hash in .radio/ (never in radio.toml), readable by its owner only."""
    if len(password) < 8:
        raise UserError(_l("the studio password is too short"),
                        hint=_l("choose at least 8 characters"))
    path = state_dir / PASSWORD_FILE
    state_dir.mkdir(parents=True, exist_ok=True)
    write_text(path, hash_password(password) + "\n")
    os.chmod(path, 0o600)
    return path


def stored_password(state_dir: Path) -> str | None:
    """The hash to check logins against: RADIO_STUDIO_PASSWORD first, else .radio/'s."""
    if os.environ.get(ENV_PASSWORD):
        return hash_password(os.environ[ENV_PASSWORD])
    path = state_dir / PASSWORD_FILE
    try:
        return path.read_text(encoding="utf-8").strip() or None
    except OSError:
        return None


# -- sessions, CSRF, login rate ------------------------------------------------
@dataclass
class Session:
    csrf: str
    authenticated: bool
    created: float = field(default_factory=time.monotonic)


class Guard:
    """Sessions (in memory: a restart logs everyone out) and the login limiter."""

    def __init__(self, password_hash: str | None):
        self.password_hash = password_hash   # None: no login (loopback without password)
        self._sessions: dict[str, Session] = {}
        self._failures: dict[str, list[float]] = {}
        self._lock = threading.Lock()

    @property
    def login_required(self) -> bool:
        return self.password_hash is not None

    def session(self, token: str | None) -> Session | None:
        with self._lock:
            found = self._sessions.get(token or "")
            if found and time.monotonic() - found.created > SESSION_TTL_S:
                self._sessions.pop(token, None)
                return None
            return found

    def new_session(self, authenticated: bool) -> tuple[str, Session]:
        token = secrets.token_urlsafe(32)
        session = Session(secrets.token_urlsafe(32),
                          authenticated or not self.login_required)
        with self._lock:
            self._sessions[token] = session
            guests = [t for t, s in self._sessions.items() if not s.authenticated]
            if len(guests) > MAX_GUEST_SESSIONS:
                now = time.monotonic()
                for old in [t for t, s in self._sessions.items()
                            if now - s.created > SESSION_TTL_S]:
                    del self._sessions[old]
                for old in guests[:len(guests) - MAX_GUEST_SESSIONS]:   # oldest first
                    self._sessions.pop(old, None)
        return token, session

    def drop(self, token: str | None) -> None:
        with self._lock:
            self._sessions.pop(token or "", None)

    def wait_s(self, address: str) -> int:
        """Seconds until *address* may try a login again (0: now)."""
        now = time.monotonic()
        with self._lock:
            recent = [t for t in self._failures.get(address, []) if now - t < LOGIN_WINDOW_S]
            self._failures[address] = recent
            if len(recent) < LOGIN_TRIES:
                return 0
            return int(LOGIN_WINDOW_S - (now - recent[0])) + 1

    def login(self, address: str, password: str) -> bool:
        ok = self.password_hash is not None and check_password(password, self.password_hash)
        if not ok:
            with self._lock:
                self._failures.setdefault(address, []).append(time.monotonic())
        return ok


def origin_ok(origin: str | None, scheme: str, host_header: str | None) -> bool:
    """The Origin of a state-changing request must be the studio itself."""
    if not origin or not host_header:
        return False
    return hmac.compare_digest(origin.rstrip("/").lower(),
                               f"{scheme}://{host_header}".lower())
