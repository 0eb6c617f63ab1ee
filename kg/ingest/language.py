"""Language (en/zh) and script (Latn/Hans/Hant) detection for cleaned article text."""
from __future__ import annotations

import re
from dataclasses import dataclass

import opencc
import pycld2

HAN_CHAR = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
# Japanese writes Han characters too; kana tell it apart from Chinese.
KANA = re.compile(r"[\u3040-\u30ff]")
LATIN_LETTER = re.compile(r"[A-Za-z\u00c0-\u024f]")
# Any letter at all, so that kana, Hangul, Cyrillic… count against both en and zh.
ANY_LETTER = re.compile(r"[^\W\d_]")

# Text this Han-heavy, without kana, is Chinese whatever cld2 says (it stumbles on mixed zh/en news).
HAN_MAJORITY = 0.5
LATIN_MAJORITY = 0.5
MAX_CHINESE_KANA_SHARE = 0.05
# Traditional only when t2s changes clearly more characters than s2t does.
TRADITIONAL_MARGIN = 1.5

LANGUAGE_HINTS = {
    "en": ("en", None),
    "zh": ("zh", None),
    "zh-hant": ("zh", "Hant"),
    "zh-tw": ("zh", "Hant"),
    "zh-hk": ("zh", "Hant"),
    "zh-hans": ("zh", "Hans"),
    "zh-cn": ("zh", "Hans"),
    "zh-sg": ("zh", "Hans"),
}

_TO_SIMPLIFIED = opencc.OpenCC("t2s")
_TO_TRADITIONAL = opencc.OpenCC("s2t")


class UnsupportedLanguage(ValueError):
    """The text (or the record's hint) is in a language other than English or Chinese."""

    def __init__(self, code: str):
        super().__init__(f"unsupported language {code!r}")
        self.code = code


@dataclass(frozen=True)
class LanguageResult:
    language: str
    script: str


def detect(text: str, hint: str | None = None) -> LanguageResult:
    """Language and script of ``text``; ``hint`` (e.g. "zh-TW") overrides detection."""
    language, script = _parse_hint(hint) if hint else (_detect_language(text), None)
    if language == "en":
        return LanguageResult("en", "Latn")
    return LanguageResult("zh", script or detect_chinese_script(text))


def detect_chinese_script(text: str) -> str:
    """"Hant" if converting to Simplified changes clearly more than converting to Traditional."""
    traditional_only = _changed_characters(text, _TO_SIMPLIFIED.convert(text))
    simplified_only = _changed_characters(text, _TO_TRADITIONAL.convert(text))
    if traditional_only > 0 and traditional_only > TRADITIONAL_MARGIN * simplified_only:
        return "Hant"
    return "Hans"


def _parse_hint(hint: str) -> tuple[str, str | None]:
    normalised = hint.strip().lower().replace("_", "-")
    if normalised not in LANGUAGE_HINTS:
        raise UnsupportedLanguage(hint)
    return LANGUAGE_HINTS[normalised]


def _detect_language(text: str) -> str:
    cld2_code, reliable = _cld2_top_language(text)
    if cld2_code in ("en", "zh"):
        return cld2_code
    if _letter_share(HAN_CHAR, text) >= HAN_MAJORITY and _letter_share(KANA, text) < MAX_CHINESE_KANA_SHARE:
        return "zh"
    # Few Han characters (Japanese has some, French none): a confident cld2 verdict stands.
    if reliable and cld2_code != "un":
        raise UnsupportedLanguage(cld2_code)
    # cld2 is unsure (short text): fall back on the alphabet.
    if _letter_share(LATIN_LETTER, text) >= LATIN_MAJORITY:
        return "en"
    raise UnsupportedLanguage(cld2_code if cld2_code != "un" else "unknown")


def _cld2_top_language(text: str) -> tuple[str, bool]:
    """cld2's best guess, with "zh-Hant" folded into "zh"; ("un", False) if cld2 fails."""
    try:
        reliable, _, details = pycld2.detect(text)
    except pycld2.error:
        return "un", False
    code = details[0][1]
    return ("zh" if code.startswith("zh") else code), reliable


def _letter_share(pattern: re.Pattern, text: str) -> float:
    """Characters matching ``pattern`` as a share of all letters (Han, Latin, kana, …)."""
    letters = len(ANY_LETTER.findall(text))
    return len(pattern.findall(text)) / letters if letters else 0.0


def _changed_characters(original: str, converted: str) -> int:
    # OpenCC conversions are almost always length-preserving; zip copes if a phrase is not.
    return sum(a != b for a, b in zip(original, converted))
