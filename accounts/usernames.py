"""Readable usernames made from people's names: `zoe.muller`, then `zoe.muller2`, `zoe.muller3`…

For accounts someone else creates (a child cannot choose one at seven): lower-case ASCII
letters, digits and dots only, so that any keyboard types them and nobody wonders about
accents or capitals. Usernames are unique regardless of case, and so is the numbering.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence

from django.db.models import Q

from .models import User

# Letters that Unicode does not decompose into a base letter and an accent.
_LETTERS = str.maketrans(
    {
        "ß": "ss",
        "æ": "ae",
        "Æ": "ae",
        "œ": "oe",
        "Œ": "oe",
        "ø": "o",
        "Ø": "o",
        "ł": "l",
        "Ł": "l",
        "đ": "d",
        "Đ": "d",
        "ð": "d",
        "Ð": "d",
        "þ": "th",
        "Þ": "th",
        "\u0131": "i",  # dotless i (Turkish)
    }
)
# Room left for a number after the name, within the username field's 150 characters.
MAX_BASE_LENGTH = User._meta.get_field("username").max_length - 10
FALLBACK = "user"


def fold(text: str) -> str:
    """Return `text` as lower-case ASCII letters, digits and dots ("Zoë" -> "zoe")."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_LETTERS))
    ascii_text = decomposed.encode("ascii", "ignore").decode("ascii").lower()
    return re.sub(r"[^a-z0-9.]", "", ascii_text)


def username_for(first_name: str, last_name: str, *, fallback: str = FALLBACK) -> str:
    """Return the username a person of this name would like: `first.last`, folded to ASCII.

    `fallback` when the names hold nothing ASCII can spell (a name in another script).
    """
    parts = (fold(first_name).strip("."), fold(last_name).strip("."))
    base = re.sub(r"\.{2,}", ".", ".".join(part for part in parts if part))
    return base[:MAX_BASE_LENGTH].strip(".") or fallback


def available_usernames(bases: Sequence[str], *, taken: Iterable[str] = ()) -> list[str]:
    """Return a free username for each of `bases`, in order: the base, else base2, base3…

    One query for all of them: every username that starts with one of the bases, in any
    case. Repeated bases get different names, and so do names in `taken` (already chosen by
    the caller). A name is only free until someone takes it: the caller inserts, and on a
    clash asks again.
    """
    if not bases:
        return []
    starts = Q()
    for base in set(bases):
        starts |= Q(username__istartswith=base)
    used = {name.lower() for name in User.objects.filter(starts).values_list("username", flat=True)}
    used.update(name.lower() for name in taken)
    names = []
    for base in bases:
        name, number = base, 1
        while name.lower() in used:
            number += 1
            name = f"{base}{number}"
        used.add(name.lower())
        names.append(name)
    return names
