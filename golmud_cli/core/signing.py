"""Public keys as gtx.yaml writes them (pure): an SSH key's id and fingerprint, an
OpenPGP fingerprint. No git and no file here; edges/git.py asks git what it signs
with, and compares through these."""

from __future__ import annotations

import base64
import binascii
import hashlib
import re

# Key types git's SSH signing accepts (ssh-keygen -Y); anything else in gtx.yaml is
# not an SSH key and is read as an OpenPGP fingerprint.
SSH_KEY_TYPES = (
    "ssh-ed25519",
    "ssh-rsa",
    "ecdsa-sha2-nistp256",
    "ecdsa-sha2-nistp384",
    "ecdsa-sha2-nistp521",
    "sk-ssh-ed25519@openssh.com",
    "sk-ecdsa-sha2-nistp256@openssh.com",
)
_HEX_FPR = re.compile(r"^[0-9A-F]{16,40}$")


def ssh_key_id(line: str) -> str | None:
    """The "type base64" part of an SSH public key line, or None if it is not one."""
    text = line.strip()
    if text.startswith("key::"):
        text = text[5:]
    fields = text.split()
    for i, f in enumerate(fields[:-1]):
        if f in SSH_KEY_TYPES:
            blob = fields[i + 1]
            try:
                base64.b64decode(blob, validate=True)
            except (binascii.Error, ValueError):
                return None
            return f"{f} {blob}"
    return None


def ssh_fingerprint(key_id: str) -> str:
    """SHA256:... as ssh-keygen -l and git's %GK print it."""
    blob = base64.b64decode(key_id.split()[1])
    return "SHA256:" + base64.b64encode(hashlib.sha256(blob).digest()).decode().rstrip("=")


def pgp_fingerprint(text: str) -> str | None:
    fpr = re.sub(r"\s+", "", text).upper().removeprefix("0X")
    return fpr if _HEX_FPR.match(fpr) else None
