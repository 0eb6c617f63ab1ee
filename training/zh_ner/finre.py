"""FinRE train (thunlp/Chinese_NRE, MIT) → spaCy DocBin for the Chinese NER, one token per character.

    python training/zh_ner/finre.py FINRE_TRAIN OUT.spacy

Each FinRE line is ``head \\t tail \\t relation \\t sentence`` and annotates one pair; the lines
of one sentence are merged so every annotated name is an entity wherever it occurs. Other
names in the sentence are not annotated, so only sentences where that cannot matter are kept:
every word that may be a name is inside an annotated one (556 of 6,140 sentences). Marking
the doubtful characters *missing* instead kept all sentences but made the model worse on
CLUENER (the model card has both).
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

# A dictionary word at least this frequent, with no proper-noun tag, is vocabulary, not a name.
VOCABULARY_FREQUENCY = 100
NAME_TAGS = {"nr", "nrfg", "nrt", "ns", "nt", "nz", "j", "eng"}
NOT_A_NAME = re.compile(r"[\d\s.,%，。、：:；;“”\"'（）()《》?？!！\-—]")
# FinRE's names are mostly companies (王老吉, 高盛, 夏普 look like persons but are not): a
# sentence with a person-shaped name is dropped; public bodies are recognised by their suffix.
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


def entity_spans(text: str, names: set[str]) -> list[tuple[int, int, str | None]]:
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
    """A word an unannotated name may be: one jieba's dictionary lacks or seldom sees, or one
    it tags as a proper noun. Single characters are left out: too many would drop every sentence."""
    return (len(word) > 1 and not NOT_A_NAME.search(word)
            and (tag in NAME_TAGS or jieba.dt.FREQ.get(word, 0) < VOCABULARY_FREQUENCY))


def is_fully_annotated(text: str, entities: list[tuple[int, int, str | None]]) -> bool:
    """Every possible name of the sentence lies inside an annotated one, each of known type."""
    if any(kind is None for *_, kind in entities):
        return False
    inside = {i for start, end, _ in entities for i in range(start, end)}
    position = 0
    for word, tag in jieba.posseg.dt.cut(text):
        start, position = position, position + len(word)
        if may_be_name(word, tag) and not all(i in inside for i in range(start, position)):
            return False
    return True


def convert(source: Path, target: Path) -> int:
    nlp = spacy.blank("zh")  # one token per character
    docs = DocBin()
    for text, names in sentences(source).items():
        entities = entity_spans(text, names)
        if not is_fully_annotated(text, entities):
            continue
        doc = nlp.make_doc(text)
        spans = [doc.char_span(start, end, kind) for start, end, kind in entities]
        if any(span is None for span in spans):
            continue  # a space broke the one-token-per-character alignment
        doc.set_ents(spans, default="outside")
        docs.add(doc)
    docs.to_disk(target)
    return len(docs)


def main() -> None:
    jieba.initialize()
    print(f"FinRE: {convert(Path(sys.argv[1]), Path(sys.argv[2]))} sentences → {sys.argv[2]}")


if __name__ == "__main__":
    main()
