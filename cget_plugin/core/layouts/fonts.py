"""Typeface of the page, chosen on purpose and reported (docs/map-conventions.md §3.5, §6).

Marianne when installed, else Arial (the official fallback), else Liberation Sans (metric twin of
Arial) or DejaVu Sans. The choice is explicit so screen, PDF and PNG use the same face instead of a
silent substitution by Qt.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Optional

from ..i18n import tr
from .spec import FONT_PREFERENCE


@dataclass
class FontChoice:
    family: str
    preferred: str
    note: str = ""  # non-empty when the preferred face is missing (shown to the user)

    @property
    def is_fallback(self) -> bool:
        return self.family != self.preferred


def installed_families() -> list:
    from ... import compat

    return compat.font_families()


def choose_family(
    available: Optional[Iterable[str]] = None, preference=FONT_PREFERENCE
) -> FontChoice:
    """First installed family of ``preference``; ``available`` defaults to the installed ones."""
    if available is None:
        available = installed_families()
    by_key = {}
    for fam in available:
        # fontconfig may report "DejaVu Sans,DejaVu Sans Light": compare the first name.
        by_key.setdefault(str(fam).split(",")[0].strip().casefold(), str(fam).split(",")[0].strip())
    preferred = preference[0]
    for wanted in preference:
        found = by_key.get(wanted.casefold())
        if found:
            note = ""
            if wanted != preferred:
                note = tr(
                    "The {preferred} typeface is not installed: the map uses {family} instead. "
                    "Install {preferred} (info.gouv.fr, « la typographie ») for the State look."
                ).format(preferred=preferred, family=found)
            return FontChoice(found, preferred, note)
    family = next(iter(by_key.values()), "Sans Serif")
    note = tr(
        "None of the typefaces {wanted} is installed: the map uses {family}. Install Marianne "
        "or Arial for the State look."
    ).format(wanted=", ".join(preference), family=family)
    return FontChoice(family, preferred, note)
