"""Month names as Thai and English readers write them.

Thai has a full name (มกราคม), an official abbreviation with dots (ม.ค.), the same abbreviation typed
without dots (มค) and a spoken short form without the ending -คม/-ยน/-พันธ์ (มกรา). All of them are
understood by :func:`month_number`; the formatters only ever write the full or dotted forms.
"""

# Index 0 is unused so that MONTHS_TH[1] is January (มกราคม).
MONTHS_TH = (
    "",
    *"มกราคม กุมภาพันธ์ มีนาคม เมษายน พฤษภาคม มิถุนายน กรกฎาคม สิงหาคม กันยายน ตุลาคม พฤศจิกายน ธันวาคม".split(),
)
MONTHS_TH_ABBR = ("", *"ม.ค. ก.พ. มี.ค. เม.ย. พ.ค. มิ.ย. ก.ค. ส.ค. ก.ย. ต.ค. พ.ย. ธ.ค.".split())
MONTHS_EN = (
    "",
    *"January February March April May June July August September October November December".split(),
)
MONTHS_EN_ABBR = ("", "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

# Spoken short forms, and spellings people commonly type by mistake (ฏ for ฎ, a missing ์).
_EXTRA_NAMES = {
    1: ("มกรา",),
    2: ("กุมภา", "กุมภาพันธ"),
    3: ("มีนา",),
    4: ("เมษา",),
    5: ("พฤษภา",),
    6: ("มิถุนา",),
    7: ("กรกฎา", "กรกฏาคม", "กรกฏา"),
    8: ("สิงหา",),
    9: ("กันยา", "sept"),
    10: ("ตุลา",),
    11: ("พฤศจิกา",),
    12: ("ธันวา",),
}


def _key(word: str) -> str:
    """What we compare: no dots, no spaces, lower case (``"ม. ค."`` and ``"มค"`` are the same)."""
    return "".join(word.split()).replace(".", "").casefold()


def _build_lookup() -> dict[str, int]:
    lookup: dict[str, int] = {}
    for number in range(1, 13):
        names = (MONTHS_TH[number], MONTHS_TH_ABBR[number], MONTHS_EN[number], MONTHS_EN_ABBR[number])
        for name in names + _EXTRA_NAMES[number]:
            lookup[_key(name)] = number
    return lookup


_LOOKUP = _build_lookup()


def month_number(word: str) -> int | None:
    """The month (1-12) a word names, e.g. ``"มี.ค."``, ``"มีค"``, ``"มีนา"`` or ``"Mar"`` -> 3; else None."""
    return _LOOKUP.get(_key(word))
