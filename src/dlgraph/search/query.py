"""Query parsing: Whoosh's parser with dlgraph's fields, keyword values and language aliases."""

from __future__ import annotations

import copy
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from whoosh import qparser
from whoosh import query as wquery
from whoosh.qparser import syntax

from dlgraph.querytext import balanced, slug
from dlgraph.search.errors import SearchError
from dlgraph.search.topics import _topic_keys

if TYPE_CHECKING:
    from dlgraph.search.index import SearchIndex


#: Field weights: a title or heading says more about a document than a word in its body.
BOOSTS = {"title": 3.0, "body": 1.0}


_TEXT_FIELDS = ("title", "body")


#: ``field:`` names a learner may type, and what they search (``title``/``text``: every
#: routed language's titles/bodies).
USER_FIELDS = {
    "edition": "edition", "kind": "kind", "lang": "lang", "language": "lang",
    "theme": "theme", "lecturer": "lecturer", "topic": "topic", "video": "video",
    "title": "title", "text": "body", "body": "body", "name": "names", "person": "names",
}
_OPERATORS = {"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE", "TO"}


#: Fields holding whole values (no positions): a phrase in them cannot be a phrase query.
_KEYWORD_FIELDS = frozenset({"kind", "edition", "lang", "topic", "video"})


class _FieldsPlugin(qparser.FieldsPlugin):
    """``field:`` for the fields in :data:`USER_FIELDS`; any other ``word:`` stays plain text."""

    def __init__(self, groups: tuple[str, ...], topic_keys: Callable[[str], frozenset]):
        super().__init__(remove_unknown=False)
        self.groups = groups
        self.topic_keys = topic_keys

    def filters(self, parser):
        return [(self.do_unknown, 99), (self.do_fieldnames, 100), (self.do_aliases, 105),
                (self.do_keywords, 106)]

    def do_keywords(self, parser, group):
        """A value of a keyword field is one or more whole values, never a phrase.

        ``kind:"lecture notes"`` means ``kind:lecture OR kind:notes`` (Whoosh would refuse the
        phrase: these fields keep no positions), and a topic is named by any of its labels as
        in ``dlgraph path``: ``topic:EBM`` and ``topic:"energy-based models"`` are
        ``topic:energy-based-models``.
        """
        for i, node in enumerate(group):
            if isinstance(node, syntax.GroupNode):
                group[i] = self.do_keywords(parser, node)
                continue
            if not (node.has_text and node.has_fieldname and node.fieldname in _KEYWORD_FIELDS):
                continue
            text = node.text or ""
            if node.fieldname == "topic":
                values = sorted(self.topic_keys(text)) or [slug(text) or text]
            elif isinstance(node, syntax.WordNode) and not re.search(r"[\s,]", text):
                continue
            else:
                values = text.replace(",", " ").split() or [text]
            words = []
            for v in values:
                w = syntax.WordNode(v)
                w.set_fieldname(node.fieldname, override=True)
                w.set_boost(node.boost)
                w.startchar, w.endchar = node.startchar, node.endchar
                words.append(w)
            group[i] = words[0] if len(words) == 1 else syntax.OrGroup(words)
        return group

    def do_unknown(self, parser, group):
        out = group.empty_copy()
        pending = None
        for node in group:
            if isinstance(node, syntax.GroupNode):
                node = self.do_unknown(parser, node)
            if isinstance(node, syntax.FieldnameNode):
                real = USER_FIELDS.get(node.fieldname.lower())
                if real is None:
                    pending = node
                    continue
                node.fieldname = real
            if pending is not None:
                # "foo:bar" reads as the two words "foo bar"
                out.append(syntax.Word(pending.fieldname))
                pending = None
            out.append(node)
        if pending is not None:
            out.append(syntax.Word(pending.fieldname))
        return out

    def do_aliases(self, parser, group):
        """``title:x`` → ``title_en:x OR title_fr:x …`` over the routed groups."""
        for i, node in enumerate(group):
            if isinstance(node, syntax.GroupNode):
                group[i] = self.do_aliases(parser, node)
            elif node.has_fieldname and node.fieldname in _TEXT_FIELDS:
                copies = []
                for g in self.groups:
                    c = copy.copy(node)
                    c.set_fieldname(f"{node.fieldname}_{g}", override=True)
                    copies.append(c)
                group[i] = syntax.OrGroup(copies) if len(copies) > 1 else copies[0]
        return group


#: A CJK word of at least this many bigrams also matches with one of them missing, in order:
#: 自监督学习 finds 自我监督学习, 生成对抗网络 finds 生成式对抗网络 (an extra character drops one
#: bigram). Shorter words stay exact: 网络神经 must not find 神经网络.
CJK_LOOSE_BIGRAMS = 4
#: Furthest a bigram may follow the one before it across the missing one (an inserted
#: character puts three positions between them).
_CJK_GAP = 3


def cjk_run_query(fieldname: str, texts: list[str], boost: float = 1.0):
    """The query of one CJK word analysed into the bigrams ``texts``: the bigrams in order, or
    (from :data:`CJK_LOOSE_BIGRAMS`) all but one of them in order.

    The near matches together weigh about as much as the exact phrase they also match, so a
    page writing the word as typed ranks above one writing a variant of it. Bigrams where a
    segmenter would give words: it would not help here (jieba cuts 自监督学习 as 自 / 监督 / 学习
    and 自我监督学习 as 自我 / 监督 / 学习, so the variant still differs by one token).
    """
    exact = wquery.Phrase(fieldname, texts, boost=boost)
    k = len(texts)
    if k < CJK_LOOSE_BIGRAMS:
        return exact
    near = []
    for i in range(k):
        left, right = texts[:i], texts[i + 1 :]
        if not left or not right:  # an edge bigram missing: the rest is one phrase
            near.append(wquery.Phrase(fieldname, left or right))
        else:
            near.append(wquery.Sequence([_phrase(fieldname, left), _phrase(fieldname, right)],
                                        slop=_CJK_GAP))
    return wquery.Or([exact, wquery.Or(near, boost=boost / k)])


def _phrase(fieldname: str, texts: list[str]):
    return wquery.Term(fieldname, texts[0]) if len(texts) == 1 else wquery.Phrase(fieldname, texts)


class _Parser(qparser.QueryParser):
    """Whoosh's multi-field parser, with ``multitoken_query="cjk"`` fields read by
    :func:`cjk_run_query`."""

    def __init__(self, fieldnames: list[str], schema, fieldboosts: dict, group):
        super().__init__(None, schema, group=group)
        self.add_plugin(qparser.MultifieldPlugin(fieldnames, fieldboosts=fieldboosts))
        self.multifields, self.fieldboosts = list(fieldnames), dict(fieldboosts)

    def parse(self, text, normalize=True, debug=False):
        if normalize and not debug and _PLAIN_RE.match(text) and _OPERATOR_WORDS.isdisjoint(
                text.split()):
            return self.parse_words(text)
        return super().parse(text, normalize=normalize, debug=debug)

    def parse_words(self, text: str):
        """What :meth:`parse` makes of words without syntax, built without its taggers and
        filters (most of a long question's parse): per word, an ``Or`` of its query in each
        field (``term_query``, as a word node asks it), all in the parser's group, normalised
        by Whoosh; each part spans its characters, as Whoosh attaches them."""
        words = []
        for m in _WORD_SPAN_RE.finditer(text):
            subs = []
            for fname in self.multifields:
                q = self.term_query(fname, m.group(), self.termclass,
                                    boost=self.fieldboosts.get(fname, 1.0))
                if q:
                    q.startchar, q.endchar = m.start(), m.end()
                if q is not None:
                    subs.append(q)
            q = wquery.Or(subs)
            if q:
                q.startchar, q.endchar = m.start(), m.end()
            words.append((q, m.start(), m.end()))
        group = self.group()
        q = group.qclass([w for w, _, _ in words], boost=group.boost, **group.kwargs)
        if q:
            q.startchar, q.endchar = words[0][1], words[-1][2]
        else:
            q = wquery.NullQuery
        return q.normalize()

    def multitoken_query(self, spec, texts, fieldname, termclass, boost):
        if spec == "cjk":
            return cjk_run_query(fieldname, texts, boost)
        return super().multitoken_query(spec, texts, fieldname, termclass, boost)


#: Text that is only words (letters and digits) between spaces: no tagger of the parser but the
#: whitespace one matches in it, bar an operator word.
_PLAIN_RE = re.compile(r"\s*[^\W_]+(?:\s+[^\W_]+)*\s*\Z")
_WORD_SPAN_RE = re.compile(r"\S+")
#: Whoosh's operators (``OperatorsPlugin``), and ``TO`` (ranges): such a word is syntax.
_OPERATOR_WORDS = frozenset({"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE", "REQUIRE", "TO"})


def _fieldboosts(groups: Iterable[str]) -> dict[str, float]:
    boosts = {}
    for g in groups:
        boosts[f"title_{g}"] = BOOSTS["title"]
        boosts[f"body_{g}"] = BOOSTS["body"]
    return boosts


def _parser(ix: SearchIndex, groups: tuple[str, ...], any_word: bool):
    key = (groups, any_word)
    if key not in ix._parsers:
        boosts = _fieldboosts(groups)
        group = qparser.OrGroup.factory(0.9) if any_word else qparser.AndGroup
        p = _Parser(list(boosts), ix.schema, fieldboosts=boosts, group=group)
        p.remove_plugin_class(qparser.FieldsPlugin)
        # 'single quotes' would swallow French elisions (l'énergie) and English possessives
        p.remove_plugin_class(qparser.SingleQuotePlugin)
        p.add_plugin(_FieldsPlugin(groups, lambda name: _topic_keys(ix, name)))
        if len(ix._parsers) > 64:
            ix._parsers.clear()
        ix._parsers[key] = p
    return ix._parsers[key]


_EDITION_FIELD_RE = re.compile(r'(?<!\w)edition:(?:"([^"]*)"|([A-Za-z0-9]+))', re.IGNORECASE)
_KIND_FIELD_RE = re.compile(r'(?<!\w)kind:(?:"([^"]*)"|([A-Za-z]+))', re.IGNORECASE)
_LANG_FIELD_RE = re.compile(r'(?<!\w)(?:lang|language):(?:"([^"]*)"|([A-Za-z-]+))',
                            re.IGNORECASE)


def _field_values(pattern: re.Pattern, text: str) -> list[str]:
    """Every value ``field:value`` or ``field:"value value"`` gives in ``text``."""
    return [v for m in pattern.finditer(text) for v in (m.group(1) or m.group(2) or "").split()]


#: A question mark (or ``¿``) not inside a word: punctuation, where Whoosh would read a wildcard
#: ("what is a GAN?" would ask for GAN plus one more character).
_QUESTION_RE = re.compile(r"[?¿]+(?!\w)|(?<!\w)[?¿]+")


def unpunctuated(text: str) -> str:
    """``text`` with the question marks that are punctuation removed; ``te?t`` stays a wildcard."""
    return " ".join(_QUESTION_RE.sub(" ", text).split())


def _plain(text: str) -> str:
    """``text`` with every operator character removed: its words only."""
    return re.sub(r"[\"()\[\]{}^~*?:]", " ", text)


def _parse(ix: SearchIndex, text: str, groups: tuple[str, ...], any_word: bool = False):
    parser = _parser(ix, groups, any_word)
    try:
        return parser.parse(balanced(text))
    except Exception:
        # Whoosh's parser is lenient but not total: retry with every operator character removed
        try:
            return parser.parse(_plain(text))
        except Exception as err:  # pragma: no cover - defensive
            raise SearchError(f"could not understand the query {text[:60]!r}: {err}") from err


def _query_terms(q) -> dict[str, frozenset]:
    """The analysed title/body terms of a query by language group, for highlighting."""
    found = defaultdict(set)
    try:
        for fieldname, text in q.iter_all_terms(phrases=True):
            kind, _, g = fieldname.partition("_")
            if kind in _TEXT_FIELDS and g:
                found[g].add(text)
    except Exception:  # pragma: no cover - exotic query nodes without terms
        pass
    return {g: frozenset(t) for g, t in found.items()}
