"""HTTPS for a LAN bind: the user's certificate, else a self-signed one kept in .radio/.

Browsers give the microphone only to secure origins, and a password must not
cross the LAN in clear.  The self-signed certificate names the bound address,
the machine's name and localhost; its SHA-256 fingerprint is printed so that a
user can compare it with what the browser shows before accepting it.
"""
from __future__ import annotations

import datetime
import ipaddress
import os
import socket
from pathlib import Path

from ..errors import UserError
from ..fsio import write_bytes
from ..i18n import _l

CERT_NAME = "studio-cert.pem"
KEY_NAME = "studio-key.pem"
VALID_DAYS = 825


def fingerprint(cert_path: Path) -> str:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes

    cert = x509.load_pem_x509_certificate(cert_path.read_bytes())
    return cert.fingerprint(hashes.SHA256()).hex(":").upper()


def _names(host: str) -> list:
    from cryptography import x509

    names: list = [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
    hostnames = {socket.gethostname(), socket.getfqdn()}
    try:
        names.append(x509.IPAddress(ipaddress.ip_address(host)))
    except ValueError:
        hostnames.add(host)
    names += [x509.DNSName(n) for n in sorted(hostnames) if n and n != "localhost"]
    return names


def self_signed(state_dir: Path, host: str) -> tuple[Path, Path]:
    """(certificate, key) in *state_dir*; made once, made again when the host changes."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    cert_path, key_path = state_dir / CERT_NAME, state_dir / KEY_NAME
    wanted = _names(host)
    if cert_path.exists() and key_path.exists():
        cert = x509.load_pem_x509_certificate(cert_path.read_bytes())
        try:
            have = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
            if set(wanted) <= set(have) and cert.not_valid_after_utc > _now():
                return cert_path, key_path
        except x509.ExtensionNotFound:
            pass
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "radio studio"),
                         x509.NameAttribute(NameOID.ORGANIZATION_NAME, "radio")])
    now = _now()
    cert = (x509.CertificateBuilder().subject_name(subject).issuer_name(subject)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(minutes=5))
            .not_valid_after(now + datetime.timedelta(days=VALID_DAYS))
            .add_extension(x509.SubjectAlternativeName(wanted), critical=False)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    state_dir.mkdir(parents=True, exist_ok=True)
    write_bytes(key_path, key.private_bytes(serialization.Encoding.PEM,
                                            serialization.PrivateFormat.PKCS8,
                                            serialization.NoEncryption()))
    os.chmod(key_path, 0o600)
    write_bytes(cert_path, cert.public_bytes(serialization.Encoding.PEM))
    return cert_path, key_path


def certificate(state_dir: Path, host: str, cert: Path | None,
                key: Path | None) -> tuple[Path, Path]:
    """The user's --cert/--key when given (both), else the self-signed pair."""
    if (cert is None) != (key is None):
        raise UserError(_l("--cert and --key go together"),
                        hint=_l("give both (a PEM certificate and its key), or neither for a "
                                "self-signed certificate"))
    if cert is not None:
        for path in (cert, key):
            if not path.is_file():
                raise UserError(_l("{path} does not exist", path=path), hint=_l("give a PEM file"))
        check_pair(cert, key)
        return cert, key
    return self_signed(state_dir, host)


def check_pair(cert: Path, key: Path) -> None:
    """UserError unless *cert* and *key* are a PEM certificate and its unencrypted key that
    go together (a .pfx or a DER .cer, a key for another certificate, a passphrase...)."""
    import ssl

    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    try:
        # a passphrase would be asked for on the terminal: answer none, and refuse
        context.load_cert_chain(str(cert), str(key), password=lambda: b"")
        fingerprint(cert)
    except (ssl.SSLError, ValueError, OSError):
        raise UserError(_l("{cert} and {key} are not a PEM certificate and the key that goes "
                           "with it", cert=cert, key=key),
                        hint=_l("give the certificate and its unencrypted private key as PEM "
                                "(convert a .pfx: openssl pkcs12 -in file.pfx -nodes), or "
                                "neither for a self-signed certificate")) from None


def _now() -> datetime.datetime:
    return datetime.datetime.now(datetime.timezone.utc)
