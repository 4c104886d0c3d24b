"""Join codes: short, typed by children, guessable only with a rate limit in front."""

import secrets

# No look-alikes: neither 0/O nor 1/I/L. 31 symbols, so 8 of them are about 39.6 bits.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
LENGTH = 8


def generate() -> str:
    """Return a new random join code."""
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalize(typed: str) -> str:
    """Return `typed` as stored: upper case, without the spaces and dashes people add."""
    return "".join(typed.split()).replace("-", "").upper()


def is_well_formed(code: str) -> bool:
    """Whether a normalized `code` could be a join code at all (no database needed)."""
    return len(code) == LENGTH and all(char in ALPHABET for char in code)


def display(code: str) -> str:
    """Return `code` grouped for reading aloud and copying by hand: ABCD-EFGH."""
    half = LENGTH // 2
    return f"{code[:half]}-{code[half:]}"
