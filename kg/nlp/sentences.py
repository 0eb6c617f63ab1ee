"""Rule-based sentence boundaries shared by both languages."""
from __future__ import annotations

import re

from kg.models import Span

# A sentence ends after 。！？!?; (or . followed by a space in Latin text), plus any
# closing quotes; a line break always ends one (paragraphs, headlines).
SENTENCE_END = re.compile(r"[。！？!?；]+[”」』\"')）]*|(?<=[a-z0-9)\]”\"'])\.(?=\s)|\n+")


def split_sentences(text: str) -> list[Span]:
    spans, start = [], 0
    for match in SENTENCE_END.finditer(text):
        _append(spans, text, start, match.end())
        start = match.end()
    _append(spans, text, start, len(text))
    return spans


def _append(spans: list[Span], text: str, start: int, end: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        spans.append(Span(start=start, end=end))
