"""The Thai catalogue covers every translatable message, and the committed .mo is compiled from the committed .po.

The extraction is the one `make messages` runs (makemessages -l th --no-obsolete --no-location), done on a
temporary copy of src/chumchon so the committed catalogue is never touched.
"""

import gettext
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import translation

import chumchon

SRC_DIR = Path(chumchon.__file__).resolve().parent
CATALOGUE_DIR = SRC_DIR / "locale" / "th" / "LC_MESSAGES"
PO_FILE = CATALOGUE_DIR / "django.po"
MO_FILE = CATALOGUE_DIR / "django.mo"

GETTEXT_PROGRAMS = ("xgettext", "msgfmt", "msguniq", "msgmerge", "msgattrib")
needs_gettext = pytest.mark.skipif(
    any(shutil.which(program) is None for program in GETTEXT_PROGRAMS),
    reason="GNU gettext (xgettext, msgfmt, ...) is not installed: apt-get install gettext",
)


# A small .po reader: msgctxt, msgid, msgid_plural, msgstr / msgstr[n], multi-line strings, C escapes,
# "#," flags and "#~" obsolete entries. Enough for the catalogues makemessages writes.

_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "a": "\a", "b": "\b", "f": "\f", "v": "\v", "\\": "\\", '"': '"', "'": "'"}
_ESCAPE_RE = re.compile(r"\\(x[0-9a-fA-F]{1,2}|[0-7]{1,3}|.)")
_KEYWORD_RE = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(".*")\s*$')


def _unquote(quoted: str, lineno: int) -> str:
    if len(quoted) < 2 or not (quoted.startswith('"') and quoted.endswith('"')):
        raise ValueError(f"line {lineno}: expected a quoted string, got {quoted!r}")

    def unescape(match: re.Match) -> str:
        code = match.group(1)
        if code in _ESCAPES:
            return _ESCAPES[code]
        if code[0] == "x":
            return chr(int(code[1:], 16))
        if code[0] in "01234567":
            return chr(int(code, 8))
        raise ValueError(f"line {lineno}: unknown escape \\{code}")

    return _ESCAPE_RE.sub(unescape, quoted[1:-1])


@dataclass
class PoEntry:
    msgid: str = ""
    msgctxt: str | None = None
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    obsolete: bool = False

    @property
    def key(self) -> tuple[str | None, str]:
        return (self.msgctxt, self.msgid)

    @property
    def is_header(self) -> bool:
        return self.msgid == "" and self.msgctxt is None

    @property
    def fuzzy(self) -> bool:
        return "fuzzy" in self.flags

    @property
    def translated(self) -> bool:
        return bool(self.msgstr) and all(self.msgstr.values())


def parse_po(text: str) -> list[PoEntry]:
    entries: list[PoEntry] = []
    entry = PoEntry()
    started = False  # the current entry has a keyword line
    target: tuple[str, int | None] | None = None  # which string continuation lines extend

    def finish() -> None:
        nonlocal entry, started, target
        if started:
            entries.append(entry)
        entry, started, target = PoEntry(), False, None

    for lineno, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            finish()
            continue
        obsolete = line.startswith("#~")
        if obsolete:
            line = line[2:].strip()
            if not line or line.startswith("|"):
                continue
        elif line.startswith("#"):
            if started and entry.msgstr:  # a comment after msgstr starts the next entry
                finish()
            if line.startswith("#,"):
                entry.flags.update(flag.strip() for flag in line[2:].split(",") if flag.strip())
            continue

        if line.startswith('"'):
            if target is None:
                raise ValueError(f"line {lineno}: string continuation outside an entry")
            value = _unquote(line, lineno)
            name, index = target
            if name == "msgstr":
                entry.msgstr[index] += value
            else:
                setattr(entry, name, getattr(entry, name) + value)
            continue

        match = _KEYWORD_RE.match(line)
        if match is None:
            raise ValueError(f"line {lineno}: cannot parse {raw!r}")
        keyword, index, quoted = match.groups()
        if keyword in ("msgctxt", "msgid") and entry.msgstr:  # no blank line between entries
            finish()
        started = True
        entry.obsolete = entry.obsolete or obsolete
        value = _unquote(quoted, lineno)
        if keyword.startswith("msgstr"):
            position = int(index) if index is not None else 0
            entry.msgstr[position] = value
            target = ("msgstr", position)
        else:
            setattr(entry, keyword, value)
            target = (keyword, None)
    finish()
    return entries


def test_po_reader_handles_contexts_plurals_escapes_and_obsolete_entries():
    entries = parse_po(
        "# header comment\n"
        'msgid ""\n'
        'msgstr ""\n'
        '"Plural-Forms: nplurals=1; plural=0;\\n"\n'
        "\n"
        "#, python-format\n"
        'msgctxt "fund status"\n'
        'msgid "active"\n'
        'msgstr "ปกติ"\n'
        "\n"
        "#, fuzzy, python-format\n"
        'msgid ""\n'
        '"%(n)s \\"quoted\\" "\n'
        '"member\\n"\n'
        'msgid_plural "%(n)s members"\n'
        'msgstr[0] ""\n'
        '"สมาชิก %(n)s คน"\n'
        'msgid "Back\\tslash \\\\"\n'
        'msgstr ""\n'
        "\n"
        '#~ msgid "gone"\n'
        '#~ msgstr "หายไป"\n'
    )
    header, active, plural, back, gone = entries
    assert header.is_header and "nplurals=1" in header.msgstr[0]
    assert active.key == ("fund status", "active") and active.translated and not active.fuzzy
    assert plural.msgid == '%(n)s "quoted" member\n' and plural.msgid_plural == "%(n)s members"
    assert plural.msgstr == {0: "สมาชิก %(n)s คน"} and plural.fuzzy and "python-format" in plural.flags
    assert back.msgid == "Back\tslash \\" and not back.translated and not back.flags
    assert gone.obsolete and gone.msgstr == {0: "หายไป"}


def _describe(key: tuple[str | None, str]) -> str:
    msgctxt, msgid = key
    return f"{msgid!r} (context {msgctxt!r})" if msgctxt is not None else repr(msgid)


@needs_gettext
def test_catalogue_translates_every_message(tmp_path, monkeypatch, settings):
    """Every message makemessages extracts from the code and templates is translated in the committed .po."""
    copy = tmp_path / "chumchon"
    shutil.copytree(SRC_DIR, copy, ignore=shutil.ignore_patterns("locale", "var", "__pycache__", "*.pyc"))
    (copy / "locale").mkdir()
    # makemessages writes to LOCALE_PATHS[0] first: point it at the copy so the real catalogue is never touched.
    settings.LOCALE_PATHS = [copy / "locale"]
    monkeypatch.chdir(copy)
    call_command("makemessages", locale=["th"], no_obsolete=True, no_location=True, verbosity=0)

    extracted_po = copy / "locale" / "th" / "LC_MESSAGES" / "django.po"
    extracted = {e.key for e in parse_po(extracted_po.read_text(encoding="utf-8")) if not e.is_header}
    assert extracted, f"makemessages extracted nothing into {extracted_po}"

    committed = {
        e.key: e for e in parse_po(PO_FILE.read_text(encoding="utf-8")) if not e.is_header and not e.obsolete
    }
    missing = sorted(k for k in extracted if k not in committed)
    untranslated = sorted(k for k in extracted if k in committed and not committed[k].translated)
    fuzzy = sorted(k for k in extracted if k in committed and committed[k].fuzzy)

    problems = []
    for title, keys in (
        ("missing from the catalogue", missing),
        ("with an empty msgstr", untranslated),
        ("marked fuzzy (msgfmt drops them)", fuzzy),
    ):
        if keys:
            problems.append(f"{len(keys)} message(s) {title}:\n" + "\n".join(f"  - {_describe(k)}" for k in keys))
    relative_po = PO_FILE.relative_to(SRC_DIR.parent.parent)
    assert not problems, (
        f"The Thai catalogue {relative_po} does not cover the source.\n"
        + "\n".join(problems)
        + "\nRun `make messages`, translate these messages in django.po (no fuzzy flags), "
        "then run `make messages` again to compile django.mo, and commit both files."
    )


@needs_gettext
def test_committed_mo_is_compiled_from_committed_po(tmp_path):
    """django.mo matches what msgfmt makes of django.po (compilemessages runs msgfmt --check-format)."""
    compiled = tmp_path / "django.mo"
    result = subprocess.run(  # noqa: S603
        ["msgfmt", "--check-format", "-o", str(compiled), str(PO_FILE)],  # noqa: S607
        capture_output=True, text=True, check=False,
    )
    assert result.returncode == 0, f"msgfmt rejects {PO_FILE.name}:\n{result.stderr}"
    assert MO_FILE.exists(), f"{MO_FILE} is missing: run `make messages` and commit it"

    with compiled.open("rb") as fresh_file, MO_FILE.open("rb") as committed_file:
        fresh = gettext.GNUTranslations(fresh_file)._catalog
        committed = gettext.GNUTranslations(committed_file)._catalog
    stale = sorted(str(k) for k in fresh.keys() ^ committed.keys() if k != "")
    stale += sorted(str(k) for k in fresh.keys() & committed.keys() if k != "" and fresh[k] != committed[k])
    assert fresh == committed, (
        f"{MO_FILE.name} is out of date with {PO_FILE.name}: run `make messages` (compilemessages) and commit "
        f"django.mo. Differing messages: {stale[:20] or ['(header only)']}"
    )


def test_thai_is_served():
    with translation.override("th"):
        assert translation.gettext("Log in") == "เข้าสู่ระบบ"
        assert translation.gettext("Log out") == "ออกจากระบบ"
        assert translation.gettext("Audit log") == "บันทึกการตรวจสอบ"
        assert translation.gettext("community welfare fund") == "กองทุนสวัสดิการชุมชน"
        assert translation.gettext("Moo %(n)s") % {"n": 3} == "หมู่ที่ 3"
    with translation.override("en"):
        assert translation.gettext("Log in") == "Log in"
