"""People as the pages write them: one key per person however a page spells the name or
hides the e-mail address, lists of names split, and the people a home page's tables name.
Pure functions."""

from __future__ import annotations

import re
import unicodedata

from dlgraph.records import PersonRef

#: Variants of a person's name actually found in the pages, folded to one spelling
#: (keys and values already normalised by ``_fold``). Each was checked against the page
#: it translates or the other credits of the same translation team.
NAME_ALIASES = {
    # 18 SP20 pages (mostly French) credit the lecturer as "Yann Le Cun".
    "yann le cun": "yann lecun",
    # SP21 week 10 (en and fr) misspells the lecturer the SP20 pages call Ishan Misra.
    "ishan mishra": "ishan misra",
    # zh/week12/12-1 credits "Matt Lewis" where en/week12/12-1 credits Mike Lewis.
    "matt lewis": "mike lewis",
    # The Korean notes of week 1 transliterate Alfredo Canziani.
    "앨프레도 캔지아니": "alfredo canziani",
    # Translators credited by GitHub handle or first name on some pages, full name on others
    # of the same language.
    "marcozullich": "marco zullich",
    "choonghee": "choonghee lee",
    "seungheon": "seungheon doh",
    "matt taso": "matt tso",
}

# Letters that NFKD does not decompose but that people type without their mark.
_LETTERS = str.maketrans({"ı": "i", "ł": "l", "ø": "o", "đ": "d", "ð": "d", "þ": "th"})

#: E-mail addresses of people who are otherwise named, so an address alone finds them.
EMAIL_ALIASES = {
    "yann@cs.nyu.edu": "yann lecun",
    "canziani@nyu.edu": "alfredo canziani",
}

_AT = re.compile(r"\s*(?:\[\s*at\s*\]|\(\s*at\s*\)|\{\s*at\s*\}|\s+at\s+)\s*", re.I)
_DOT = re.compile(r"\s*(?:\[\s*dot\s*\]|\(\s*dot\s*\)|\{\s*dot\s*\})\s*", re.I)
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")


def deobfuscate_email(text: str) -> str | None:
    """The e-mail address in ``text``, ``yann [ at ] cs.nyu.edu`` style undone; else ``None``."""
    plain = _DOT.sub(".", _AT.sub("@", text))
    m = _EMAIL.search(plain)
    return m.group(0).lower() if m else None


def _fold(text: str) -> str:
    # NFKD then dropping combining marks removes accents but keeps non-Latin scripts.
    norm = unicodedata.normalize("NFKD", text)
    norm = "".join(c for c in norm if not unicodedata.combining(c))
    # Recompose, or Hangul syllables stay split into jamo and never match an alias.
    norm = unicodedata.normalize("NFC", norm)
    norm = re.sub(r"[^\w]+", " ", norm.casefold().translate(_LETTERS))
    return " ".join(norm.split())


# "handle (Full Name)": some scribes sign with their GitHub handle and put the name in brackets.
_HANDLE_THEN_NAME = re.compile(r"^\s*[^\s()]+\s*\(\s*([^\W\d_][\w.'’-]*(?:\s+[^\W\d_][\w.'’-]*)+)\s*\)\s*$")

_ROLE_IN_BRACKETS = re.compile(
    r"\b(?:assistant|instructor|grader|lecturer|professor|editor|translator|teaching|TA)\b", re.I
)


def clean_person_name(text: str) -> str:
    """A display name: no e-mail, markup leftovers, role brackets or extra whitespace."""
    text = unicodedata.normalize("NFC", text)
    text = _EMAIL.sub("", _DOT.sub(".", _AT.sub("@", text)))
    handle = _HANDLE_THEN_NAME.match(text)
    if handle and not _ROLE_IN_BRACKETS.search(handle.group(1)):
        text = handle.group(1)
    text = re.sub(r"<[^>]*>|\([^)]*\)|\[[^\]]*\]", " ", text)
    text = re.sub(r"[*_`]+", " ", text)
    text = " ".join(text.split())
    return text.strip(" -–—,;:|·")


def name_fold(name: str) -> str:
    """A name as :func:`person_key` compares it before aliases apply: ``"yann le cun"``."""
    return _fold(clean_person_name(name))


def person_key(name_or_email: str) -> str:
    """The identity of a person however written: ``"yann-lecun"`` for "Yann Le Cun".

    Case, accents, spacing and the variants in :data:`NAME_ALIASES` collapse; text holding
    both a name and an address is keyed by the name; an address alone (obfuscated or not) by
    the person it belongs to when known, else by ``email-<address>``.
    """
    name = _fold(clean_person_name(name_or_email))
    if not name:
        email = deobfuscate_email(name_or_email)
        if email is None:
            return ""
        if email in EMAIL_ALIASES:
            name = EMAIL_ALIASES[email]
        else:
            return "email-" + re.sub(r"[^a-z0-9]+", "-", email).strip("-")
    name = NAME_ALIASES.get(name, name)
    # The key is a slug so it can sit in an IRI; non-Latin letters are kept as they are.
    return "-".join(name.split())


#: Separators between names in credit lines, as the translated pages write them.
# Word conjunctions are lower-case and spaced, so an initial such as "E." is not one.
_CONJUNCTIONS = r"(?:and|et|y|e|ve|und|и|và|és|و|및)"
_SEPARATORS = re.compile(
    rf"\s*(?:,|，|、|;|；|&)\s*(?:{_CONJUNCTIONS}\s+)?|\s+{_CONJUNCTIONS}\s+"
)


def split_names(text: str) -> list[str]:
    """The names in a credit line: ``"A, B and C"`` / ``"A & B"`` / ``"A、B"`` → a list."""
    names = [clean_person_name(part) for part in _SEPARATORS.split(text)]
    return [n for n in names if n]


# -- home pages ------------------------------------------------------------------------------

#: Role column values of SP20's "People" table, as ``records.ROLES`` names them.
_ROLE_WORDS = {"instructor": "instructor", "assistant": "teaching-assistant",
               "teaching assistant": "teaching-assistant", "ta": "teaching-assistant",
               "grader": "grader", "webmaster": "webmaster"}


def home_people(page) -> list[PersonRef]:
    """Instructors (and SP20's assistants) named by a home page's tables.

    ``page`` is the parsed page content (a BeautifulSoup ``Tag``). The first table's
    ``INSTRUCTORS`` row (``INSTRUCTEURS`` in French, ``INSTRUCTOR`` on FL22) names the
    instructors; SP20's "People" table adds their e-mail addresses, the assistant and the
    webmaster. Rows commented out in the page source are no content (the parser never sees
    them). Roles with no place in ``records.ROLES`` are left out.
    """
    people: dict[tuple[str, str], PersonRef] = {}
    first = page.find("table")
    rows = first.find_all("tr") if first else []
    for row in rows:
        cells = row.find_all(["td", "th"])
        if len(cells) >= 2 and re.match(r"^\s*instru", cells[0].get_text(), re.I):
            for name in split_names(cells[1].get_text(" ")):
                key = person_key(name)
                people[(key, "instructor")] = PersonRef(name=name, key=key, role="instructor")
    for table in page.find_all("table"):
        for row in table.find_all("tr"):
            cells = row.find_all("td")
            if len(cells) < 3:
                continue
            role = _ROLE_WORDS.get(" ".join(cells[0].get_text().split()).casefold())
            contact = cells[2]
            email = deobfuscate_email(contact.get_text(" "))
            link = contact.find("a")
            name = clean_person_name(link.get_text(" ") if link else contact.get_text(" "))
            if role is None or not name:
                continue
            key = person_key(name)
            people[(key, role)] = PersonRef(name=name, key=key, role=role, email=email)
    return list(people.values())
