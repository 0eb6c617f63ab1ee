"""Statistical Chinese NER: a small spaCy model over characters, trained on CLUENER2020
(recipe in training/zh_ner/, card in kg/nlp/models/zh_ner.md).

Characters are the model's tokens; each also carries the jieba word it sits in and its
position there (as LEMMA and TAG), so the model sees word boundaries it cannot learn from
10k sentences. The article's own jieba tokens supply them at run time: no second cut.
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from functools import cache
from pathlib import Path

import spacy
from spacy.attrs import IDX, LEMMA, TAG
from spacy.language import Language
from spacy.tokens import Doc

from kg.models import Mention, Span, Token

# Word positions: B(egin) I(nside) E(nd) S(ingle), with the word's length capped here.
MAX_WORD_LENGTH_FEATURE = 4
MODEL_DIR = Path(__file__).parent / "models" / "zh_ner"
# Characters of context either side of a name candidate: more than the model sees (its
# encoder reaches a few characters) and room for a long name around its rare word
# (北疆绿能 + 电力股份有限公司).
WINDOW_CONTEXT = 8
# jieba's dictionary tags for person, place, organisation and other proper names, and
# abbreviations (j), which are often short company names (工行, 中石化, 东航).
PROPER_NAME_TAGS = {"nr", "ns", "nt", "nz", "nrt", "nrfg", "j"}
# A proper name this frequent in jieba's dictionary is everyday vocabulary (中国 129470,
# 北京 34488) that the knowledge base holds; rarer ones (慕尼黑 485, 雅戈尔 44) may be news.
COMMON_NAME_FREQUENCY = 1000
# The model's labels (CLUENER's types) as ontology classes.
CLASSES = {"COMPANY": "Company", "ORGANIZATION": "Organization", "GOVERNMENT": "Organization",
           "PERSON": "Person", "ADDRESS": "Place"}


def set_word_features(doc: Doc, words: Iterable[tuple[int, int]]) -> Doc:
    """Give every character token of ``doc`` the word (char offsets) it belongs to."""
    strings, text = doc.vocab.strings, doc.text
    # Spaces are not always tokens. Offsets in one array call: building Token objects was a fifth of the NER time.
    token_at = {idx: i for i, idx in enumerate(doc.to_array(IDX).tolist())}
    values = doc.to_array([LEMMA, TAG])  # a buffer of the right shape and type (zeros on a new doc)
    for start, end in words:
        word = text[start:end]
        size = min(end - start, MAX_WORD_LENGTH_FEATURE)
        for char in range(start, end):
            if char in token_at:
                position = "S" if size == 1 else "B" if char == start else "E" if char == end - 1 else "I"
                values[token_at[char]] = (strings.add(word), strings.add(f"{position}{size}"))
    doc.from_array([LEMMA, TAG], values)
    return doc


@Language.component("zh_word_features")
def word_features(doc: Doc) -> Doc:
    """Training and stand-alone use: cut the text with jieba (as kg.nlp.zh does). A doc whose
    caller already set the features from its own segmentation passes through."""
    if doc.has_annotation("LEMMA"):
        return doc
    from kg.nlp.zh import segmenter  # jieba with kg's added words: the words of the run-time cut

    return set_word_features(doc, ((start, end) for _, start, end in segmenter().tokenize(doc.text)))


@cache
def model() -> Language:
    """The bundled pipeline; loading needs this module, which registers its first component."""
    return spacy.load(MODEL_DIR)


def find(text: str, norm_text: str, sentences: list[Span], tokens: list[Token]) -> list[Mention]:
    """NER mentions over the Simplified text, with the article's jieba tokens as word features.

    The model runs only on windows around name candidates (see ``windows``): per character
    it is about ten times slower than jieba, and a name that no dictionary holds is what it
    is here for. That costs recall (CLUENER dev, organisation recall 0.65 → 0.46; the model
    card has the numbers).
    """
    nlp = model()
    token_starts = [t.start for t in tokens]
    spans = windows(sentences, tokens)
    sentence_edges = {s.start for s in sentences} | {s.end for s in sentences}
    word_starts, word_ends = set(token_starts), {t.end for t in tokens}
    docs = (_window_doc(nlp, norm_text, w, tokens, token_starts) for w in spans)
    mentions = []
    for window, doc in zip(spans, nlp.pipe(docs)):
        for ent in doc.ents:
            start, end = window.start + ent.start_char, window.start + ent.end_char
            if _cut_by(window, sentence_edges, start, end) or start not in word_starts or end not in word_ends:
                continue  # a name cut off by the window, or ending inside a jieba word (鼎峰电|力)
            mentions.append(Mention.model_construct(text=text[start:end], start=start, end=end,
                                                    type=CLASSES[ent.label_], rule="ner", entity=None,
                                                    full_name=None))
    return mentions


def windows(sentences: list[Span], tokens: list[Token]) -> list[Span]:
    """Spans of WINDOW_CONTEXT characters around each name candidate, merged where they
    touch, never across a sentence end."""
    spans: list[Span] = []
    ends = [s.end for s in sentences]
    for token in tokens:
        if not is_name_candidate(token.norm):
            continue
        i = bisect_left(ends, token.end)
        if i == len(sentences) or sentences[i].start > token.start:
            continue
        start = max(sentences[i].start, token.start - WINDOW_CONTEXT)
        end = min(sentences[i].end, token.end + WINDOW_CONTEXT)
        if spans and spans[-1].end >= start and spans[-1].start >= sentences[i].start:
            spans[-1] = Span.model_construct(start=spans[-1].start, end=max(end, spans[-1].end))
        else:
            spans.append(Span.model_construct(start=start, end=end))
    return spans


def is_name_candidate(word: str) -> bool:
    """A Han word jieba's dictionary lacks (its HMM joined unknown characters: 曾毓群, 蔚来), or
    one it tags as a proper name that is not an everyday one (雅戈尔, 杉杉; not 中国, 北京)."""
    from kg.nlp.zh import HAN_WORD, dictionary_tag, word_frequency  # zh imports this module

    if len(word) < 2 or not HAN_WORD.fullmatch(word):
        return False
    frequency = word_frequency(word)
    return frequency == 0 or (frequency < COMMON_NAME_FREQUENCY and dictionary_tag(word) in PROPER_NAME_TAGS)


def _cut_by(window: Span, sentence_edges: set[int], start: int, end: int) -> bool:
    """A name touching a window edge that is not a sentence edge may go on beyond it."""
    return (start == window.start and start not in sentence_edges) or (end == window.end and end not in sentence_edges)


def _window_doc(nlp: Language, norm_text: str, window: Span, tokens: list[Token], token_starts: list[int]) -> Doc:
    doc = nlp.make_doc(norm_text[window.start:window.end])
    # from the word the window starts in (a window edge may fall inside a word)
    first, last = max(0, bisect_right(token_starts, window.start) - 1), bisect_left(token_starts, window.end)
    words = ((max(t.start, window.start) - window.start, min(t.end, window.end) - window.start)
             for t in tokens[first:last] if t.end > window.start)
    return set_word_features(doc, words)
