"""Bytes to text: UTF-8 (with or without BOM), or the charset an HTML/XML document declares (GB18030, Big5, …)."""
from __future__ import annotations

import codecs
import re

# Only the head of a document is searched for <meta charset=…>, http-equiv "…; charset=…"
# or <?xml … encoding="…"?>.
CHARSET_SEARCH_BYTES = 4096
DECLARED_CHARSET = re.compile(
    rb"<meta[^>]+charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]+)|<\?xml[^>]+encoding\s*=\s*[\"']([A-Za-z0-9_.:-]+)",
    re.IGNORECASE,
)
# Declared Chinese charsets are decoded with their supersets, as browsers do.
CHARSET_SUPERSETS = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "big5": "big5hkscs", "cp950": "big5hkscs"}


class DecodeError(ValueError):
    """The bytes are not usable text; the message says why."""


def decode_text(data: bytes) -> str:
    """UTF-8 text (a BOM is dropped); DecodeError for empty, binary or non-UTF-8 input."""
    _check_not_empty_or_binary(data)
    try:
        return _non_empty(data.decode("utf-8-sig"))
    except UnicodeDecodeError as error:
        raise DecodeError(_utf8_error_message(data, error)) from None


def decode_markup(data: bytes) -> str:
    """Like ``decode_text``, but falls back on the charset an HTML or XML document declares."""
    _check_not_empty_or_binary(data)
    try:
        return _non_empty(data.decode("utf-8-sig"))
    except UnicodeDecodeError as utf8_error:
        charset = declared_charset(data)
        if not charset:
            raise DecodeError(_utf8_error_message(data, utf8_error)) from None
        try:
            return _non_empty(data.decode(charset))
        except UnicodeDecodeError as error:
            raise DecodeError(f"not valid {charset} (byte 0x{data[error.start]:02x} at offset {error.start})") from None


def declared_charset(data: bytes) -> str | None:
    """The Python codec for the document's declared charset, if it names one Python knows."""
    match = DECLARED_CHARSET.search(data[:CHARSET_SEARCH_BYTES])
    if not match:
        return None
    name = (match.group(1) or match.group(2)).decode("ascii").lower()
    name = CHARSET_SUPERSETS.get(name, name)
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def _check_not_empty_or_binary(data: bytes) -> None:
    if not data.strip():
        raise DecodeError("empty file")
    if b"\x00" in data:
        raise DecodeError("binary file, not text")


def _non_empty(text: str) -> str:
    # A file holding only a BOM or Unicode spaces is as empty as a zero-byte one.
    if not text.strip():
        raise DecodeError("empty file")
    return text


def _utf8_error_message(data: bytes, error: UnicodeDecodeError) -> str:
    # The utf-8-sig codec counts offsets after the BOM; report the offset in the file.
    offset = error.start + (len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0)
    return f"not valid UTF-8 (byte 0x{data[offset]:02x} at offset {offset})"
