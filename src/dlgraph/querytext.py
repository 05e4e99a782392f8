"""The text of a search query, before any engine sees it.

Cleaning (control characters, length), closing what a learner left open (quotes,
parentheses), telling which script a query is written in, the edit distance the spelling
corrector ranks candidates by, and the slug filters compare names by. Pure string functions:
no engine, no graph (a search process never imports rdflib).
"""

from __future__ import annotations

import re
import unicodedata

#: Longer queries are cut at a word boundary: nobody types more, and parsing grows with it.
MAX_QUERY_CHARS = 300
MAX_QUERY_WORDS = 32

#: Chinese, Japanese and Korean characters (Han, kana, Hangul and their compatibility forms).
CJK = (
    "\u1100-\u11ff\u2e80-\u2fdf\u3040-\u318f\u3400-\u4dbf\u4e00-\u9fff"
    "\uac00-\ud7af\uf900-\ufaff\uff66-\uff9f"
)
CJK_RE = re.compile(f"[{CJK}]")
# Terminal escape sequences (colour codes pasted from a shell): CSI ``ESC [ … final``, OSC
# ``ESC ] … BEL/ST``, charset selection ``ESC ( B`` and ``ESC`` + one upper-case/symbol
# character. Removing only the ESC would leave ``[31m``, whose ``[`` the parser reads as the
# start of a range. A lower-case letter after a lone ESC is kept: it is more likely a word.
_ESCAPE_RE = re.compile(
    r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]?"
    r"|(?:\x1b\]|\x9d)[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"
    r"|\x1b[()*+][0-~]?"
    r"|\x1b[@-Z\\^_=>]?"
)
_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]")
_SYNTAX_RE = re.compile(r'["()]|\b(?:AND|OR|NOT|ANDNOT)\b')

#: Script family of each language the course sites use; anything else counts as Latin.
SCRIPTS = {
    "zh": "cjk", "ja": "cjk", "ko": "cjk",
    "ru": "cyrillic", "sr": "cyrillic",
    "ar": "arabic", "fa": "arabic",
    "bn": "bengali",
}


def clean_query(text: str | None) -> str:
    """The query as it will be parsed: terminal escapes and control characters gone, whitespace
    collapsed, cut short."""
    text = _ESCAPE_RE.sub(" ", text or "")
    text = unicodedata.normalize("NFC", _CONTROL_RE.sub(" ", text))
    text = " ".join(text.split())
    if len(text) > MAX_QUERY_CHARS:
        text = text[:MAX_QUERY_CHARS].rsplit(" ", 1)[0]
    return " ".join(text.split(" ")[:MAX_QUERY_WORDS])


def balanced(text: str) -> str:
    """Close what a learner left open: an odd quote is dropped, parentheses are matched."""
    if text.count('"') % 2:
        i = text.rfind('"')
        text = text[:i] + " " + text[i + 1 :]
    depth, out = 0, []
    for ch in text:
        if ch == "(":
            depth += 1
        elif ch == ")":
            if depth == 0:
                continue
            depth -= 1
        out.append(ch)
    return "".join(out) + ")" * depth


def has_syntax(text: str, fields=()) -> bool:
    """Whether the query uses quotes, parentheses, operators or one of ``fields`` as ``field:``."""
    if _SYNTAX_RE.search(text):
        return True
    return any(re.search(rf"(?<!\w){re.escape(f)}:", text, re.IGNORECASE) for f in fields)


def script_of(text: str) -> str:
    """The script family a query is written in: ``cjk``, ``cyrillic``, ``arabic``, … or ``latin``."""
    counts = {"cjk": 0, "cyrillic": 0, "arabic": 0, "bengali": 0, "latin": 0}
    for ch in text:
        if not ch.isalpha():
            continue
        if CJK_RE.match(ch):
            counts["cjk"] += 1
        elif "\u0400" <= ch <= "\u04ff":
            counts["cyrillic"] += 1
        elif "\u0600" <= ch <= "\u06ff" or "\ufb50" <= ch <= "\ufeff":
            counts["arabic"] += 1
        elif "\u0980" <= ch <= "\u09ff":
            counts["bengali"] += 1
        else:
            counts["latin"] += 1
    best = max(counts, key=lambda k: counts[k])
    return best if counts[best] else "latin"


def fold(word: str) -> str:
    """``word`` without accents (``rétro`` → ``retro``)."""
    return "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c))


def distance(a: str, b: str) -> int:
    """Damerau-Levenshtein distance (optimal string alignment): a swap of two letters is one edit."""
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        prev2, prev = prev, cur
    return prev[-1]


__all__ = [
    "CJK",
    "CJK_RE",
    "MAX_QUERY_CHARS",
    "MAX_QUERY_WORDS",
    "SCRIPTS",
    "balanced",
    "clean_query",
    "distance",
    "fold",
    "has_syntax",
    "script_of",
]


def slug(text: str) -> str:
    """Lower-case ASCII slug: ``"Yann LeCun"`` → ``"yann-lecun"`` (also :func:`dlgraph.vocab.slug`,
    which mints IRIs with it)."""
    norm = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", norm.lower()).strip("-") or "x"
