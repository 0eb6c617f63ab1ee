"""End-to-end relation scores on CoNLL04 (Roth & Yih 2004), in the SpERT JSON format: a list of
``{"tokens": [...], "entities": [{"type", "start", "end"}], "relations": [{"type", "head", "tail"}]}``.

Each sentence is detokenised into an English article and goes through nlp and extract as any
article does; gold entities are not given to the extractor. Mapping:

- Work_For    ← worksFor, ceoOf, founderOf (person → organisation)
- OrgBased_In ← headquarteredIn, and locatedIn whose subject is an organisation
- Located_In  ← locatedIn whose subject is a place or facility (a person's is not scored)
- Live_In and Kill are out of scope (not scored).

Argument rule: a predicted mention stands for the gold entity whose last token (the head of an
English name: "Darke County", "Institute of Zoology" aside) it overlaps, else the first gold entity
whose span it overlaps. A predicted relation is correct when its mapped type, its subject's and its
object's gold entities equal a gold relation's (direction counts); an argument that stands for no
gold entity makes the prediction wrong; one whose two arguments fall in the same gold entity is not
scored (the gold takes "Kinderhook, N.Y." for one name). Predictions are deduplicated per sentence.

Entity ceiling: a gold entity is found when some mention stands for it (by the argument rule) with a
kind its gold type allows (Peop → person, Org → org, Loc → place or facility); a gold relation can
be recalled only when both its entities are found, so their share is the recall ceiling that entity
finding sets, as FinRE's "pairs with both entities found".
"""
from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from pathlib import Path
from typing import NamedTuple

from kg.evaluate import prf
from kg.extract import extract
from kg.models import Article
from kg.nlp import analyse
from kg.ontology import load_ontology

TYPES = ("Work_For", "OrgBased_In", "Located_In")
GOLD_KINDS = {"Peop": {"person"}, "Org": {"org"}, "Loc": {"place", "facility"}}  # the entity ceiling's
WORK_FOR = {"worksFor", "ceoOf", "founderOf"}
NO_SPACE_BEFORE = {",", ".", ":", ";", "!", "?", "%", ")", "]", "}", "'s", "'", "n't", "'re", "'ve", "'ll", "'d", "'m"}
NO_SPACE_AFTER = {"(", "[", "{", "$", "`"}


def detokenise(tokens: list[str]) -> tuple[str, list[tuple[int, int]]]:
    """The sentence as text, and each token's character span in it."""
    text, spans = "", []
    for i, token in enumerate(tokens):
        glue = i == 0 or token in NO_SPACE_BEFORE or tokens[i - 1] in NO_SPACE_AFTER
        text += "" if glue else " "
        spans.append((len(text), len(text) + len(token)))
        text += token
    return text, spans


def mapped_type(predicate: str, subject_type: str) -> str | None:
    if predicate in WORK_FOR:
        return "Work_For"
    if predicate == "headquarteredIn":
        return "OrgBased_In"
    if predicate == "locatedIn":
        kind = load_ontology().kinds.get(subject_type)
        return {"org": "OrgBased_In", "place": "Located_In", "facility": "Located_In"}.get(kind)
    return None


def _gold_entity(start: int, end: int, entities: list[tuple[int, int, int, int]]) -> int | None:
    """The gold entity a predicted span stands for (see the module's argument rule)."""
    for index, (_, _, head_start, head_end) in enumerate(entities):
        if start < head_end and head_start < end:
            return index
    for index, (e_start, e_end, _, _) in enumerate(entities):
        if start < e_end and e_start < end:
            return index
    return None


class Prediction(NamedTuple):
    relations: set[tuple[str, int | None, int | None]]  # (type, gold subject, gold object)
    found: set[int]  # gold entities some mention of a fitting kind stands for


def predict(sentence: dict, index: int) -> Prediction:
    """The mapped relations the pipeline finds, and the gold entities its mentions find."""
    text, spans = detokenise(sentence["tokens"])
    entities = [(spans[e["start"]][0], spans[e["end"] - 1][1], *spans[e["end"] - 1]) for e in sentence["entities"]]
    article = Article(id=f"conll04-{index}", source="conll04", published=dt.date(1990, 1, 1), language="en",
                      script="Latn", text=text)
    raw = extract(analyse(article))
    relations = set()
    for c in raw.candidates:
        subject, obj = raw.mentions[c.subject], raw.mentions[c.object]
        kind = mapped_type(c.predicate, subject.type)
        head, tail = _gold_entity(subject.start, subject.end, entities), _gold_entity(obj.start, obj.end, entities)
        if kind is not None and not (head is not None and head == tail):
            relations.add((kind, head, tail))
    kinds = load_ontology().kinds
    found = set()
    for m in raw.mentions:
        gold = _gold_entity(m.start, m.end, entities)
        if gold is not None and kinds.get(m.type) in GOLD_KINDS.get(sentence["entities"][gold]["type"], ()):
            found.add(gold)
    return Prediction(relations, found)


def score(path: Path) -> dict:
    sentences = json.loads(Path(path).read_text(encoding="utf-8"))
    counts = {t: Counter() for t in TYPES}
    ceiling = Counter()
    for index, sentence in enumerate(sentences):
        gold = {(r["type"], r["head"], r["tail"]) for r in sentence["relations"] if r["type"] in TYPES}
        predicted, found = predict(sentence, index)
        scored = [i for i, e in enumerate(sentence["entities"]) if e["type"] in GOLD_KINDS]
        ceiling.update(entities=len(scored), entities_found=len(found),
                       relations=len(gold), relations_found=sum(h in found and t in found for _, h, t in gold))
        for kind in TYPES:
            g = {r for r in gold if r[0] == kind}
            p = {r for r in predicted if r[0] == kind}
            counts[kind].update(tp=len(g & p), fp=len(p - g), fn=len(g - p))
    result = {kind: _prf(c) for kind, c in counts.items()}
    result["micro"] = _prf(sum(counts.values(), Counter()))
    result["sentences"] = len(sentences)
    result["ceiling"] = dict(ceiling)
    return result


def _prf(c: Counter) -> dict:
    p, r, f = prf(c["tp"], c["fp"], c["fn"])
    return {"precision": round(p, 3), "recall": round(r, 3), "f1": round(f, 3),
            "tp": c["tp"], "fp": c["fp"], "fn": c["fn"]}


def format_score(result: dict) -> str:
    lines = [f"CoNLL04, {result['sentences']} sentences, end-to-end",
             f"{'type':<12} {'P':>6} {'R':>6} {'F1':>6} {'tp':>5} {'fp':>5} {'fn':>5}"]
    for kind in (*TYPES, "micro"):
        s = result[kind]
        lines.append(f"{kind:<12} {s['precision']:>6.3f} {s['recall']:>6.3f} {s['f1']:>6.3f} "
                     f"{s['tp']:>5} {s['fp']:>5} {s['fn']:>5}")
    c = Counter(result["ceiling"])
    share = c["entities_found"] / c["entities"] if c["entities"] else 0.0
    reach = c["relations_found"] / c["relations"] if c["relations"] else 0.0
    lines.append(f"gold Peop/Org/Loc entities found with a fitting kind: {c['entities_found']}/{c['entities']} "
                 f"({share:.1%}); scored gold relations with both entities found: "
                 f"{c['relations_found']}/{c['relations']} (recall ceiling {reach:.3f})")
    return "\n".join(lines)
