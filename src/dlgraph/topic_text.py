"""Text as topic matching sees it: normalised (accents and Arabic vowel marks dropped,
letter variants folded) and split into lightly stemmed tokens, steps 1 of the rule that
:mod:`dlgraph.topics` describes. Pure string functions."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_CJK = (
    r"\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\u1100-\u11ff\u3130-\u318f\uf900-\ufaff"
)
CJK_RE = re.compile(f"[{_CJK}]")
# Python's \w leaves out the vowel signs of Indic scripts, so "নিউরাল" would fall apart into
# letters; their blocks (but not the danda) count as word characters.
_INDIC = r"\u0900-\u0963\u0966-\u097f\u0980-\u09ff"
# Latin, Greek and Cyrillic accents; Arabic vowel marks, hamza carriers once NFKD split them
# off (أ → ا), Quranic marks and the tatweel stretch: optional in writing, so dropped.
_MARKS_RE = re.compile(r"[\u0300-\u036f\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
# Latin runs and runs of other scripts are separate tokens, so "的CNN模型" still yields "cnn".
_TOKEN_RE = re.compile(rf"[a-z0-9]+|(?:[^\W_a-z0-9{_CJK}]|[{_INDIC}])+")
# Arabic and Persian spell some letters differently (ك/ک, ي/ی, ة/ه); one spelling each. The
# zero-width non-joiner only glues a Persian suffix to its word ("شبکه‌های"): dropped, the
# suffix is then stemmed off.
_FOLD = {"ك": "ک", "ي": "ی", "ى": "ی", "ة": "ه", "ە": "ه", "ٱ": "ا", "\u200c": "", "\u200d": ""}
# str.translate looks every character of a long text up in a dict; a regex finds the few.
_FOLD_RE = re.compile(f"[{''.join(_FOLD)}]")


def normalise(text: str) -> str:
    """Lower case without accents or Arabic vowel marks; CJK characters kept (after NFKD)."""
    if text.isascii():
        return text.lower()
    # Dropping combining marks is enough: labels and text go through the same function.
    stripped = _MARKS_RE.sub("", unicodedata.normalize("NFKD", text))
    folded = unicodedata.normalize("NFKC", stripped).casefold().replace("ı", "i")
    return _FOLD_RE.sub(lambda m: _FOLD[m.group()], folded)


# Russian inflects nouns and adjectives by case and number ("нейронная сеть", "нейронных
# сетей"): the longest of these endings comes off, leaving at least three letters. Written
# naturally here and normalised like any text (й → и).
_CYRILLIC_ENDINGS = tuple(
    sorted(
        {
            normalise(e)
            for e in """иями ями ами ием иям иях ией ого его ому ему ыми ими ым им ой ей ий ый
            ая яя ое ее ые ие ую юю ов ев ом ем ам ям ах ях ых их ию ия ии ью ья ье ьи
            а я о е ы и у ю ь й""".split()
        },
        key=len,
        reverse=True,
    )
)
# Arabic attaches the article and some prepositions to the word ("الشبكات"), and both
# languages mark plural, gender and the Persian ezafe with suffixes ("شبکه‌های", "العصبية").
# Light stemming in the manner of Larkey's light10, kept conservative: suffixes that end
# many plain words (ان, ون, ین) stay on. Forms are after normalise (ة → ه, ي → ی).
_ARABIC_PREFIXES = ("وال", "بال", "کال", "فال", "لل", "ال")
_ARABIC_SUFFIXES = ("هایی", "های", "ها", "ات", "یه", "ه", "ی")
# Persian writes the plural suffix apart as often as joined ("مدل های"): alone it is no word.
_DETACHED = frozenset({"ها", "های", "هایی"})


def _strip(token: str, affixes: tuple[str, ...], *, prefix: bool, times: int) -> str:
    for _ in range(times):
        for a in affixes:
            if len(token) - len(a) >= 3 and (token.startswith(a) if prefix else token.endswith(a)):
                token = token[len(a) :] if prefix else token[: -len(a)]
                break
        else:
            break
    return token


# Texts repeat few distinct words: each is stemmed once per process.
@lru_cache(maxsize=1 << 16)
def _stem(token: str) -> str:
    first = token[0]
    if "\u0400" <= first <= "\u04ff":
        return _strip(token, _CYRILLIC_ENDINGS, prefix=False, times=1)
    if "\u0600" <= first <= "\u06ff":
        token = _strip(token, _ARABIC_PREFIXES, prefix=True, times=2)
        return _strip(token, _ARABIC_SUFFIXES, prefix=False, times=2)
    if len(token) > 3 and token.endswith("s") and not token.endswith(("ss", "us", "is")):
        return token[:-1]
    return token


def tokens(text: str) -> list[str]:
    """Normalised, lightly stemmed tokens of ``text`` (CJK characters are left out)."""
    return [_stem(t) for t in _TOKEN_RE.findall(normalise(text)) if t not in _DETACHED]
