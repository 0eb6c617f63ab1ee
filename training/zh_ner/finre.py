"""FinRE train (thunlp/Chinese_NRE, MIT) → spaCy DocBin for the Chinese NER, one token per character.

    python training/zh_ner/finre.py FINRE_TRAIN OUT.spacy

Each FinRE line is ``head \\t tail \\t relation \\t sentence`` and annotates one pair; the lines
of one sentence are merged so every annotated name is an entity wherever it occurs. Other
names in the sentence are not annotated, so a character is O only where that is safe: inside a
frequent dictionary word that is no proper noun (公司, 收购, 表示), or a digit or
punctuation mark.
Everything else is *missing*, which spaCy's NER leaves out of the loss.
"""
from __future__ import annotations

import re
import sys
from collections import defaultdict
from pathlib import Path

import jieba
import jieba.posseg
import spacy
from spacy.tokens import DocBin

# A dictionary word at least this frequent, with no proper-noun tag, is vocabulary: safe O
# (1000 gave FinRE valid 56.0 % of pairs found, 100 gave 53.8 %; the model card has both).
VOCABULARY_FREQUENCY = 1000
NAME_TAGS = {"nr", "nrfg", "nrt", "ns", "nt", "nz", "j", "eng"}
SAFE_CHARACTER = re.compile(r"[\d\s.,%，。、：:；;“”\"'（）()《》?？!！\-—]")
# FinRE's names are mostly companies (王老吉, 高盛, 夏普 look like persons but are not); a
# person-shaped name is left untyped (missing), public bodies are recognised by their suffix.
SURNAMES = set("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
               "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤")
COMPOUND_SURNAMES = ("欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "令狐", "慕容", "尉迟", "公孙")
GOVERNMENT_SUFFIXES = ("证监会", "银监会", "保监会", "发改委", "国资委", "人民银行", "央行", "政府", "委员会",
                       "部", "局", "厅", "署")
ORGANIZATION_SUFFIXES = ("交易所", "协会", "大学", "学院", "研究院", "研究所", "联合会", "基金会")


def label(name: str) -> str | None:
    """COMPANY unless the name is shaped like a public body; None if it may be a person."""
    if name.endswith(GOVERNMENT_SUFFIXES):
        return "GOVERNMENT"
    if name.endswith(ORGANIZATION_SUFFIXES):
        return "ORGANIZATION"
    given = name[2:] if name.startswith(COMPOUND_SURNAMES) else name[1:]
    if (name[0] in SURNAMES or name.startswith(COMPOUND_SURNAMES)) and 1 <= len(given) <= 2:
        return None
    return "COMPANY"


def sentences(path: Path) -> dict[str, set[str]]:
    """Each sentence with every name annotated on any of its lines."""
    names: dict[str, set[str]] = defaultdict(set)
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) == 4:
            head, tail, _, sentence = parts
            names[sentence.strip()].update(n for n in (head, tail) if n and n in sentence)
    return names


def entity_spans(text: str, names: set[str]) -> list[tuple[int, int, str]]:
    """Every occurrence of each name, longest names first, never overlapping."""
    taken = [False] * len(text)
    out = []
    for name in sorted(names, key=len, reverse=True):
        for match in re.finditer(re.escape(name), text):
            if not any(taken[match.start():match.end()]):
                taken[match.start():match.end()] = [True] * len(name)
                out.append((match.start(), match.end(), label(name)))
    return sorted(out)


def may_be_name(word: str, tag: str) -> bool:
    """A word an unannotated name may hide in: one jieba's dictionary lacks or seldom sees, one
    it tags as a proper noun, or a single character (names jieba cut up: 澜/芯)."""
    frequency = jieba.dt.FREQ.get(word, 0)
    return len(word) == 1 or tag in NAME_TAGS or frequency < VOCABULARY_FREQUENCY


def safe_outside(text: str, entities: list[tuple[int, int, str]]) -> list[tuple[int, int]]:
    """Character ranges that are surely no name: vocabulary, digits, punctuation."""
    inside = {i for start, end, _ in entities for i in range(start, end)}
    out, position = [], 0
    for word, tag in jieba.posseg.dt.cut(text):
        start, end = position, position + len(word)
        position = end
        for i in range(start, end):
            if i not in inside and (not may_be_name(word, tag) or SAFE_CHARACTER.fullmatch(text[i])):
                out.append((i, i + 1))
    return out


def convert(source: Path, target: Path) -> int:
    nlp = spacy.blank("zh")  # one token per character
    docs = DocBin()
    for text, names in sentences(source).items():
        doc = nlp.make_doc(text)
        entities = entity_spans(text, names)
        ents = [doc.char_span(s, e, lab) for s, e, lab in entities if lab]
        outside = [doc.char_span(s, e) for s, e in safe_outside(text, entities)]
        if any(span is None for span in ents + outside):
            continue  # a space or an unusual character broke the one-token-per-character alignment
        doc.set_ents(ents, outside=outside, default="missing")  # untyped names stay missing
        docs.add(doc)
    docs.to_disk(target)
    return len(docs)


def main() -> None:
    jieba.initialize()
    print(f"FinRE: {convert(Path(sys.argv[1]), Path(sys.argv[2]))} sentences → {sys.argv[2]}")


if __name__ == "__main__":
    main()
