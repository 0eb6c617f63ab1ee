"""Entity mentions. Each family is a generator over an AnalysedArticle yielding Mentions;
``find_mentions`` merges them, the more reliable family winning where spans overlap, then
``discourse_names`` applies one sense per discourse across the article.

Families: the knowledge base (both languages); Latin-script names inside Chinese text,
typed by the words around them; Chinese names after a title, after a class noun
(运营商华川数据) and with a name dot (约瑟夫·摩尔); Chinese organisation names with a suffix;
quantified groups of organisations; AI-model-shaped names; and the statistical NER (spaCy's
English model; kg's own Chinese model, kg.nlp.zh_ner, which loses every overlap).
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import cache

from kg.extract import cues
from kg.extract.gazetteer import knowledge_base, lower
from kg.extract.roles import role_mentions
from kg.extract.ruler import ticker_mentions
from kg.ingest.dates import MONTHS
from kg.ontology import ontology_dir
from kg.models import AnalysedArticle, Mention
from kg.nlp.zh import CLASS_NOUNS, HAN, HAN_WORD, dictionary_tag, to_simplified, word_frequency

# Lower number wins an overlap; among equals the longer span wins.
PRIORITY = {"ticker": 0, "kb": 0, "latin-run": 1, "title": 1, "suffix": 1, "group": 1, "model-name": 2, "class-noun": 2,
            "org-word": 2, "ner": 3, "role": 3, "discourse": 4}

LATIN_WORD = r"[A-Za-z][A-Za-z0-9]*(?:[-.&'][A-Za-z0-9]+)*"
# A run of Latin words inside Chinese text; later words start upper-case or with a digit.
LATIN_RUN = re.compile(rf"(?<![A-Za-z0-9]){LATIN_WORD}(?: [A-Z0-9][A-Za-z0-9]*(?:[-.&'][A-Za-z0-9]+)*)*")
PERSON_NAME = re.compile(r"[A-Z][a-z]+(?:[-'][A-Z]?[a-z]+)*(?: [A-Z][a-z]+(?:[-'][A-Z]?[a-z]+)*){0,2}")
# GPT-4, GPT-4o, Grok-3, Llama-3.1, Qwen2.5: a name fused with a version number.
MODEL_NAME = re.compile(r"(?<![A-Za-z0-9-])[A-Z][A-Za-z]+(?:-\d+(?:\.\d+)*[a-z]?|\d+\.\d+)(?![A-Za-z0-9])")
MODEL_VARIANTS = "Flash|Pro|Ultra|Sonnet|Opus|Haiku|Max|Mini|Turbo|Nano|Plus|Lite|Instruct|Preview|Thinking|Reasoner"
# Gemini 2.0 Flash, Claude 3.7 Sonnet, Llama 4 (a capitalised name, a version, variant words);
# o1, o3-mini (OpenAI's lower-case reasoning models).
VERSIONED_MODEL = re.compile(
    rf"(?<![A-Za-z0-9-])(?:[A-Z][A-Za-z]+ \d+(?:\.\d+)*(?: (?:{MODEL_VARIANTS}))*|o\d(?:-mini|-pro)?)(?![A-Za-z0-9-])")
MODEL_NOUNS_ZH = ("模型", "大模型")
MIN_NER_NAME_LENGTH = 2  # one character is a fragment (the model's 微 of 微软), not a name
LATIN = re.compile(r"[\x00-\x7f]+")
LATIN_PREFIX = re.compile(r"[A-Za-z][A-Za-z0-9.&' -]*")
HAN_NAME = re.compile(f"[{HAN}·]+")
HAN_PERSON = re.compile(
    rf"(?:{'|'.join(cues.TITLES_ZH)})([{HAN}·]{{2,4}}?)(?={'|'.join(map(re.escape, cues.NAME_FOLLOWERS_ZH))})")
PLACE_WORD = re.compile(rf" (?:{'|'.join(cues.PLACE_WORDS_EN)})\b")
PASSIVE_ORG_VERB = re.compile(rf"被[^，,。]{{0,8}}?(?:{'|'.join(cues.ORG_VERBS_ZH)})")
NOT_NAME_START = set("会的在是和与也都将对为其该这那从向被")
# Chinese organisation suffixes: legal forms close a full name (华勤技术股份有限公司); short ones
# follow a brand (壁仞科技, 万科集团, 杉杉股份).
LEGAL_SUFFIXES_ZH = ("股份有限公司", "有限责任公司", "有限公司")
SHORT_SUFFIXES_ZH = ("集团", "控股", "股份", "科技", "资本", "基金", "证券", "银行")
# Industry words that end many company names (极川汽车, 锐能材料); the word before must be rare.
INDUSTRY_SUFFIXES_ZH = ("汽车", "材料", "电子", "能源", "医药", "半导体", "微电子", "通信", "电气", "软件",
                        "机器人", "动力", "传动", "光电", "新能源")
# jieba keeps many names whole, suffix and all (浦发银行, 东方航空, 广州药业): a word ending in
# one of these is a company when jieba's dictionary tags it an organisation (nt) or lacks it,
# unless what precedes the suffix is an everyday word other than a place (商业银行, 外贸公司
# are vocabulary; 中国银行 is a name). jieba's abbreviations (j) mix names (工行, 中石化) with
# vocabulary (房贷, 通胀): they only make NER candidates (kg.nlp.zh_ner).
WORD_SUFFIXES_ZH = (*SHORT_SUFFIXES_ZH, *INDUSTRY_SUFFIXES_ZH, "航空", "地产", "药业", "制药", "保险", "信托", "电器",
                    "重工", "钢铁", "实业", "石化", "石油", "电力", "化工", "矿业", "食品", "百货", "传媒", "物流",
                    "置业", "航运", "建工", "水泥", "有限公司", "集团公司", "总公司", "公司")
WORD_SUFFIX_ENDS = {suffix[-2:] for suffix in WORD_SUFFIXES_ZH}
ORG_WORD_TAG = "nt"
# Tags of everyday nouns and verbs: 商业, 外贸, 投资 (not 东方 s, 中国 ns, 平安 a).
VOCABULARY_TAGS = {"n", "vn", "v", "j"}
# A dictionary organisation word with one of these ends is a public body, not a company.
PUBLIC_BODY_ENDS = ("局", "部", "委", "厅", "署", "院", "会", "所", "办", "政府", "大学", "学校", "中心")
# Words before a legal suffix, not counting the place a registered name starts with.
LEGAL_NAME_WORDS = 3
PLACE_TAG = "ns"
SUFFIX_COMPOUNDS = ("支出", "开支", "市场", "运作", "结构", "投入", "性", "会", "经理", "份额", "价格", "公司股")
ORG_SUFFIX_ZH = re.compile("|".join(LEGAL_SUFFIXES_ZH + SHORT_SUFFIXES_ZH + INDUSTRY_SUFFIXES_ZH))
SUFFIX_FIRST_CHARS = {suffix[0] for suffix in LEGAL_SUFFIXES_ZH + SHORT_SUFFIXES_ZH + INDUSTRY_SUFFIXES_ZH}
# A word this frequent in jieba's dictionary is vocabulary, not a brand (中国 129470, 公司 45604,
# 互联网 1813; 万科 75, 碧桂园 3, unknown names absent).
COMMON_WORD_FREQUENCY = 1000
# After a class noun, a name's first word is rarer than this and is no verb, pronoun, number…
RARE_WORD_FREQUENCY = 100
NOT_NAME_TAGS = {"v", "vd", "r", "m", "q", "p", "c", "u", "d", "t", "f", "a", "ad", "uj", "ul", "ud", "y"}
NOUN_TAGS = {"n", "vn", "nz", "ng", "nt", "j", None}
ADMINISTRATIVE_SUFFIXES = ("省", "市", "县", "区", "州", "新区", "自治区")
FUNCTION_CHARS = set("的了在和与及对向被由据以将从为是有也都而就该本其这那各多某母子")
# Head nouns that make a name a site, whatever the NER said: "Kennedy Space Center", "GSA Depot".
FACILITY_WORDS_EN = {"Center", "Centre", "Depot", "Airport", "Base", "Plant", "Station", "Penitentiary", "Prison",
                     "Shipyard", "Stadium", "Arena", "Dam", "Bridge", "Mall", "Farm", "Park", "Forest", "Seashore",
                     "Wilderness", "Monument", "Campus", "Factory", "Fab", "Refinery", "Mine"}
# A title before a lone name makes it a person: "President Kennedy", "Sen. Dole", "Mrs. Rose".
HONORIFIC = re.compile(r"\b(?:Mr|Mrs|Ms|Dr|Sen|Rep|Gov|Gen|Lt|Col|Sgt|Capt|Prof|President|Judge|Senator|"
                       r"Governor|Justice|Pope|King|Queen|Prince|Princess|Minister)\.? $")
# "Sanders, 45, …", "Mason, who headed …": an age or "who" ("whose" serves companies too) after a name
PERSON_FOLLOWER = re.compile(r", (?:\d{1,3},|who\b)")
COORDINATED = re.compile(r" and |, ")  # "Facebook and Instagram" is two names, whatever the NER says
# "北疆绿能电力股份有限公司（以下简称“北疆绿能”）", "Foo Holdings Inc. (“Foo”)", "约瑟夫·摩尔（Joseph Moore）".
DEFINED_NAME = re.compile(
    r"\s*[（(]\s*(?P<marker>以下简称|以下称|下称|简称|hereinafter|hereafter)?\s*[:：,，]?\s*(?P<quote>[“\"「『])?"
    r"(?P<name>[^“”\"「」『』（）()，,。]{1,24}?)[”\"」』]?\s*[）)]", re.IGNORECASE)
# Without a marker or quotes, a bracket must hold something shaped like a name or a ticker.
BRACKETED_NAME = re.compile(r"(?:[A-Z][\w.&'-]*)(?: [A-Z][\w.&'-]*){0,3}|[\u4e00-\u9fff·]{2,8}|[A-Z]+:\s?[A-Z0-9.]+")
# The dot inside a foreign name written in Chinese: 约瑟夫·摩尔, 萨提亚·纳德拉.
NAME_DOTS = ("·", "・", "•")
GROUP_ZH = re.compile(
    rf"(?:{'|'.join(cues.GROUP_QUANTIFIERS_ZH)})([{HAN}A-Za-z]{{0,10}}?(?:{'|'.join(cues.GROUP_HEADS_ZH)}))")


def find_mentions(doc: AnalysedArticle) -> list[Mention]:
    kb = list(kb_mentions(doc))
    if doc.article.language == "zh":
        families: Iterable[Mention] = [*kb, *latin_run_mentions(doc, kb), *han_person_mentions(doc),
                                       *dot_name_mentions(doc), *han_org_mentions(doc), *group_mentions_zh(doc),
                                       *class_noun_mentions(doc), *han_place_mentions(doc), *org_word_mentions(doc),
                                       *zh_ner_mentions(doc)]
        families = _without_places_inside(families)
    else:
        roles = [_placed(doc.article.text, m) for m in role_mentions(doc)]
        ner = list(ner_mentions(doc, {(m.start, m.end) for m in roles if m.type == "Person"}))
        models = [_typed_like_kb_inside(m, kb) for m in model_name_mentions(doc)]
        families = [*ticker_mentions(doc), *_without_names_inside(kb, [*ner, *models]), *models,
                    *group_mentions_en(doc), *ner, *roles]
    return discourse_names(doc, resolve_overlaps(families))


def _without_places_inside(mentions: list[Mention]) -> list[Mention]:
    """The longest name wins where a knowledge-base place is only its first part (上海 of
    上海建工, 中国 of 中国建设银行, 美国 of 美国运通): a company or organisation mention from a
    rule, a dictionary word or the NER that starts with the place and goes on beyond it."""
    longer = [m for m in mentions if m.type in ("Company", "Organization") and m.rule != "kb"]
    return [m for m in mentions if not (m.rule == "kb" and m.type == "Place" and any(
        n.start == m.start and n.end > m.end for n in longer))]


def _without_names_inside(kb: list[Mention], longer: list[Mention]) -> list[Mention]:
    """A knowledge-base name inside a longer name is part of another entity: 'Colin Powell'
    is not Jerome Powell, 'Meta AI' is not Meta, 'Gemini 2.0 Flash' is not Gemini."""
    return [m for m in kb if not any(
        n.start <= m.start and m.end <= n.end and len(n.text.split()) > len(m.text.split())
        and (n.type == m.type or n.type != "Person") and not COORDINATED.search(n.text) for n in longer)]


def resolve_overlaps(mentions: Iterable[Mention]) -> list[Mention]:
    taken: list[Mention] = []
    for m in sorted(mentions, key=lambda m: (PRIORITY[m.rule], m.start - m.end, m.start)):
        if all(m.end <= t.start or m.start >= t.end for t in taken):
            taken.append(m)
    return sorted(taken, key=lambda m: m.start)


def _mention(doc: AnalysedArticle, start: int, end: int, type_: str, rule: str, entity: str | None = None):
    return Mention(text=doc.article.text[start:end], start=start, end=end, type=type_, rule=rule, entity=entity)


def kb_mentions(doc: AnalysedArticle) -> Iterator[Mention]:
    for start, end, entity in knowledge_base().find(doc.article.text, lower(doc.norm_text)):
        yield _mention(doc, start, end, entity.type, "kb", entity.iri)


def latin_run_mentions(doc: AnalysedArticle, kb: list[Mention]) -> Iterator[Mention]:
    """Latin names in Chinese text, typed by their neighbours, then by the rest of the article:
    a name typed once keeps its type, and a lone first or last name joins a typed person."""
    text, folded = doc.article.text, lower(doc.norm_text)
    taken = [(m.start, m.end) for m in kb]
    typed: dict[str, str] = {}
    untyped: list[tuple[int, int]] = []
    for run in LATIN_RUN.finditer(text):
        for start, end in _split_at_trade_words(text, _outside(text, run.start(), run.end(), taken)):
            surface = text[start:end]
            if surface.lower() in cues.NOT_NAMES or len(surface) < 2:
                continue
            found = _type_latin_name(surface, folded, start, end, kb)
            if found is None:
                untyped.append((start, end))
                continue
            type_, end = found
            typed.setdefault(surface.lower(), type_)
            yield _mention(doc, start, end, type_, "latin-run")
    person_words = {w for name, t in typed.items() if t == "Person" for w in name.split()}
    for start, end in untyped:
        key = text[start:end].lower()
        type_ = typed.get(key) or ("Person" if key in person_words else None)
        if type_:
            yield _mention(doc, start, end, type_, "latin-run")


def _split_at_trade_words(text: str, parts: Iterable[tuple[int, int]]) -> Iterator[tuple[int, int]]:
    """'CEO Daniel Hartmann' → 'Daniel Hartmann': trade words and titles are not part of a name."""
    for start, end in parts:
        pos = start
        for word in re.finditer(r"\S+", text[start:end]):
            if word.group().lower() in cues.NOT_NAMES:
                yield from _trimmed(text, pos, start + word.start())
                pos = start + word.end()
        yield from _trimmed(text, pos, end)


def _outside(text: str, start: int, end: int, taken: list[tuple[int, int]]) -> Iterator[tuple[int, int]]:
    """The parts of [start, end) not covered by ``taken``, trimmed of spaces."""
    pos = start
    for t_start, t_end in sorted(taken):
        if t_end <= pos or t_start >= end:
            continue
        yield from _trimmed(text, pos, t_start)
        pos = max(pos, t_end)
    yield from _trimmed(text, pos, end)


def _trimmed(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    part = text[start:end]
    stripped = part.strip()
    if stripped:
        first = start + part.index(stripped)
        yield first, first + len(stripped)


def _type_latin_name(surface: str, folded: str, start: int, end: int,
                     kb: list[Mention]) -> tuple[str, int] | None:
    before, after = folded[max(0, start - 8):start].rstrip(), folded[end:end + 8]
    if PASSIVE_ORG_VERB.match(folded, end):  # Lumen Games被腾讯收购
        return "Company", end
    for suffix in cues.ORG_SUFFIXES_ZH:
        if after.startswith(suffix):
            return "Company", end + len(suffix)
    named_as = before.endswith(("名为", "名叫", "叫做", "名称为")) and after.startswith("的")
    if named_as and any(noun in after[:8] for noun in cues.ORG_CLASS_NOUNS_ZH):
        return "Company", end
    if (after.startswith(cues.ORG_FOLLOWERS_ZH) or before.endswith(cues.ORG_CLASS_NOUNS_ZH)
            or before.endswith(cues.ORG_VERBS_ZH) or surface.split()[-1].lower() in cues.ORG_WORDS_EN):
        return "Company", end
    if before.endswith(cues.OUTLET_CLASS_NOUNS_ZH) or (before.endswith("据") and
                                                       any(w in after for w in ("报道", "消息", "报告"))):
        return "NewsOutlet", end
    if before.endswith(cues.TITLES_ZH) and PERSON_NAME.fullmatch(surface):
        return "Person", end
    if MODEL_NAME.fullmatch(surface) or before.endswith(MODEL_NOUNS_ZH):
        return "AIModel", end
    if before.endswith(cues.PRODUCT_NOUNS_ZH):
        return "Product", end
    next_to_place = any(m.type == "Place" and (m.end in (start, start - 1) or m.start in (end, end + 1))
                        for m in kb)
    if next_to_place and PERSON_NAME.fullmatch(surface) or after.startswith(("州", "市", "县")):
        return "Place", end
    return None


def han_person_mentions(doc: AnalysedArticle) -> Iterator[Mention]:
    """A Chinese name right after a title: 微软CEO纳德拉表示 → 纳德拉."""
    for match in HAN_PERSON.finditer(lower(doc.norm_text)):
        name = match.group(1)
        if name[0] not in NOT_NAME_START and not name.startswith(cues.NAME_FOLLOWERS_ZH):
            yield _mention(doc, match.start(1), match.end(1), "Person", "title")


def han_org_mentions(doc: AnalysedArticle) -> Iterator[Mention]:
    """A Chinese organisation named with a suffix: 华勤技术股份有限公司, 壁仞科技, 杉杉股份. The
    name is the jieba tokens just before the suffix; a common word there makes it a phrase
    (中国科技企业, 该公司股份), not a name."""
    ends = {t.end: i for i, t in enumerate(doc.tokens)}
    starts = {t.start for t in doc.tokens}
    # A match at every word start, not finditer's: 集团 of 上海汽车集团股份有限公司 must not
    # swallow the start of the legal suffix after it.
    text = doc.norm_text
    for start in sorted(starts & ends.keys()):
        if text[start] not in SUFFIX_FIRST_CHARS or not (match := ORG_SUFFIX_ZH.match(text, start)):
            continue
        legal = match.group() in LEGAL_SUFFIXES_ZH
        if doc.norm_text.startswith(SUFFIX_COMPOUNDS, match.end()):
            continue  # 资本支出, 基金会: the suffix word starts a compound noun here
        name = _name_before(doc, ends[match.start()], max_tokens=LEGAL_NAME_WORDS if legal else 2, enough=8 if legal else 2)
        if legal and name:
            name = _with_place_before(doc, name, ends)
        if match.group() in INDUSTRY_SUFFIXES_ZH:
            # 中国汽车, 新材料 are vocabulary: only one rare word makes a name
            name = name if len(name) == 1 and _is_rare_name_word(name[0].norm) else []
        if name and (legal or not any(_is_common_word(t.norm) or dictionary_tag(t.norm) in NOT_NAME_TAGS
                                      for t in name)):
            yield _mention(doc, name[0].start, match.end(), "Company", "suffix")


def _with_place_before(doc: AnalysedArticle, name: list, ends: dict[int, int]) -> list:
    """A registered name starts with its place: 北京 + 诺思兰德生物技术股份有限公司."""
    before = ends.get(name[0].start)
    if before is not None and dictionary_tag(doc.tokens[before].norm) == PLACE_TAG:
        return [doc.tokens[before], *name]
    return name


def _name_before(doc: AnalysedArticle, last: int, max_tokens: int, enough: int) -> list:
    """Han tokens ending at token ``last``, walking back until ``enough`` characters."""
    name: list = []
    for token in reversed(doc.tokens[max(0, last - max_tokens + 1):last + 1]):
        if (not HAN_WORD.fullmatch(token.norm) or (len(token.norm) == 1 and token.norm in FUNCTION_CHARS)
                or token.norm.endswith(CLASS_NOUNS) or token.norm.endswith(cues.ROLE_NOUNS_ZH)):
            break  # 服务商 + 天枢云计算有限公司, 控股股东 + …: the noun before introduces the name
        name.insert(0, token)
        if sum(len(t.norm) for t in name) >= enough:
            break
    if not name or len("".join(t.norm for t in name)) < 2 or name[0].norm[0] in FUNCTION_CHARS:
        return []
    return name


def han_place_mentions(doc: AnalysedArticle) -> Iterator[Mention]:
    """Chinese places with an administrative suffix: a dictionary place word (呼和浩特市,
    浦东新区, 苏州工业园区), or a rare word and a separate suffix (和林格尔 + 新区)."""
    tokens = doc.tokens
    for i, token in enumerate(tokens):
        if (len(token.norm) >= 3 and token.norm.endswith(ADMINISTRATIVE_SUFFIXES)
                and dictionary_tag(token.norm) == "ns"):
            yield _mention(doc, token.start, token.end, "Place", "suffix")
        elif (i + 1 < len(tokens) and tokens[i + 1].norm in ADMINISTRATIVE_SUFFIXES and tokens[i + 1].start == token.end
              and len(token.norm) >= 2 and HAN_WORD.fullmatch(token.norm)
              and word_frequency(token.norm) < RARE_WORD_FREQUENCY
              and dictionary_tag(token.norm) not in NOT_NAME_TAGS):
            yield _mention(doc, token.start, tokens[i + 1].end, "Place", "suffix")


def class_noun_mentions(doc: AnalysedArticle) -> Iterator[Mention]:
    """A Chinese name right after a class noun: 运营商华川数据, 企业灵犀智能, 厂商博远机器人. The
    first word must be a rare one (a name, not vocabulary); a noun may follow it."""
    tokens = doc.tokens
    for i, token in enumerate(tokens[:-1]):
        if token.norm not in CLASS_NOUNS:
            continue
        first = tokens[i + 1]
        if (first.start != token.end or first.norm in cues.ROLE_NOUNS_ZH or first.norm in cues.TITLES_ZH
                or not _is_rare_name_word(first.norm)):
            continue
        end = first.end
        if i + 2 < len(tokens):
            second = tokens[i + 2]
            if (second.start == first.end and HAN_WORD.fullmatch(second.norm) and len(second.norm) <= 3
                    and dictionary_tag(second.norm) in NOUN_TAGS):
                end = second.end
        yield _mention(doc, first.start, end, "Company", "class-noun")


def _is_rare_name_word(word: str) -> bool:
    """A Chinese word rare enough in jieba's dictionary, and of no function class, to be a name."""
    return (len(word) >= 2 and bool(HAN_WORD.fullmatch(word)) and word_frequency(word) < RARE_WORD_FREQUENCY
            and dictionary_tag(word) not in NOT_NAME_TAGS)


def _is_common_word(word: str) -> bool:
    return len(word) > 1 and word_frequency(word) >= COMMON_WORD_FREQUENCY


def org_word_mentions(doc: AnalysedArticle) -> Iterator[Mention]:
    """One jieba word that is an organisation's whole name: with a company suffix (浦发银行,
    东方航空, 中国建设银行) or tagged an organisation by jieba's dictionary (上海大众, 建设部).
    Everyday words are not names (银行, 商业银行)."""
    for token in doc.tokens:
        word = token.norm
        tag = dictionary_tag(word)
        if tag != ORG_WORD_TAG and word[-2:] not in WORD_SUFFIX_ENDS:
            continue  # most words: two set lookups
        if len(word) < 2 or not HAN_WORD.fullmatch(word) or _is_common_word(word):
            continue
        suffix = next((s for s in WORD_SUFFIXES_ZH if word.endswith(s) and len(word) >= len(s) + 2), None)
        if (suffix and _is_vocabulary(word[:-len(suffix)])) or word.endswith(ADMINISTRATIVE_SUFFIXES):
            continue  # 商业银行; 商务区, 香港特别行政区 are places
        if tag == ORG_WORD_TAG:
            yield _mention(doc, token.start, token.end,
                           "Organization" if word.endswith(PUBLIC_BODY_ENDS) else "Company", "org-word")
        elif suffix and tag in (None, "nz"):
            yield _mention(doc, token.start, token.end, "Company", "org-word")


def _is_vocabulary(word: str) -> bool:
    """An everyday noun or verb: 商业 of 商业银行 (中国 of 中国银行, 东方 of 东方航空 are not)."""
    return _is_common_word(word) and dictionary_tag(word) in VOCABULARY_TAGS


def group_mentions_zh(doc: AnalysedArticle) -> Iterator[Mention]:
    """A quantified group of organisations: 多个私营数据中心运营商 → 私营数据中心运营商."""
    for match in GROUP_ZH.finditer(doc.norm_text):
        if len(match.group(1)) > 3:  # a bare 多家公司 names no one in particular
            yield _mention(doc, match.start(1), match.end(1), "Organization", "group")


def zh_ner_mentions(doc: AnalysedArticle) -> Iterator[Mention]:
    """The statistical NER's Han names (雅戈尔, 周鸿祎): they fill what no dictionary or rule
    holds, and lose every overlap to the knowledge base and the rules. Only name-shaped spans
    count: Han characters (Latin names are the Latin-run family's, typed from context), no
    title or role inside (星河智造董事长), no particle at the end (星河智造的)."""
    for m in doc.ner:
        name = lower(doc.norm_text[m.start:m.end])
        if (len(name) >= MIN_NER_NAME_LENGTH and HAN_NAME.fullmatch(name) and name[-1] not in FUNCTION_CHARS
                and not any(word in name for word in (*cues.TITLES_ZH, *cues.ROLE_NOUNS_ZH))):
            yield m


def group_mentions_en(doc: AnalysedArticle) -> Iterator[Mention]:
    """'two private data center operators' → 'private data center operators'."""
    tokens = doc.tokens
    for i, token in enumerate(tokens):
        if token.norm not in cues.GROUP_QUANTIFIERS_EN:
            continue
        for j in range(i + 1, min(i + 8, len(tokens))):
            if tokens[j].pos not in ("ADJ", "NOUN", "PROPN", "VERB") and tokens[j].text != "-":
                break
            if tokens[j].lemma in cues.GROUP_HEADS_EN and tokens[j].norm != tokens[j].lemma:
                if j > i + 1:
                    yield _mention(doc, tokens[i + 1].start, tokens[j].end, "Organization", "group")
                break


def ner_mentions(doc: AnalysedArticle, role_persons: frozenset | set = frozenset()) -> Iterator[Mention]:
    """The statistical NER's entities, less trade words, and with organisation-shaped names
    ('Ampere Computing', 'Foo Capital') typed as organisations whatever the model said. News
    introduces a person by full name, so a lone word called a person that no full name in the
    article contains is taken for a company ('Corvane reported revenue…'), unless a title, an age
    or a "who" marks it a person ('President Kennedy', 'Sanders, 45,', 'Mason, who headed') or a role
    noun does (``role_persons``, spans: 'Quayle, publisher of …'); an age or a "who" makes a lone
    word a person whatever the model said."""
    reshaped = [m for m in map(lambda m: _reshaped(doc.article.text, m), doc.ner) if m is not None]
    reshaped = [_placed(doc.article.text, m) for m in reshaped]
    person_words = {w for m in reshaped if m.type == "Person" and " " in m.text for w in m.text.split()}
    for m in reshaped:
        titled = HONORIFIC.search(doc.article.text, max(0, m.start - 12), m.start)  # President Kennedy
        marked = PERSON_FOLLOWER.match(doc.article.text, m.end)
        role = (m.start, m.end) in role_persons
        if m.type == "Person" and " " not in m.text and m.text not in person_words and not (titled or marked or role):
            m = m.model_copy(update={"type": "Organization"})
        elif m.type == "Organization" and " " not in m.text and marked:
            m = m.model_copy(update={"type": "Person"})
        yield m


@cache
def places_en() -> frozenset[str]:
    """The English place gazetteer (US states, their AP abbreviations, countries; sources in the file)."""
    lines = (ontology_dir() / "places-en.txt").read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


@cache
def _place_after_comma() -> re.Pattern:
    # ", N.Y." / ", Latvia" closing the name: not "Texas Instruments", not "China's Huawei"
    names = "|".join(re.escape(p) for p in sorted(places_en(), key=len, reverse=True))
    return re.compile(rf", (?:{names})(?![\w'’]| [A-Z])")


def _placed(text: str, m: Mention) -> Mention:
    """A person or organisation that the gazetteer names, or that ", <state or country>" follows
    ("Kinderhook, N.Y.", "Riga, Latvia"), is a place: the model often calls small towns persons."""
    if m.type in ("Person", "Organization") and (m.text in places_en() or _place_after_comma().match(text, m.end)):
        return m.model_copy(update={"type": "Place"})
    return m


def _reshaped(text: str, m: Mention) -> Mention | None:
    words = m.text.split()
    if m.text.lower() in cues.NOT_NAMES:
        return None
    if len(words) > 1 and words[-1].lower() in cues.TITLES_EN:
        # "Crestline CFO": the name before a title is the employer
        name = " ".join(words[:-1])
        return m.model_copy(update={"text": name, "end": m.start + len(name), "type": "Organization"})
    if len(words) > 1 and words[-1] in FACILITY_WORDS_EN:  # "Marshall Space Flight Center" is a site
        return m.model_copy(update={"type": "Facility"})
    if len(words) > 1 and words[-1].lower() in cues.ORG_WORDS_EN and m.type != "Organization":
        return m.model_copy(update={"type": "Organization"})
    if m.type == "Place" and (follow := PLACE_WORD.match(text, m.end)):
        return m.model_copy(update={"text": text[m.start:follow.end()], "end": follow.end()})
    return m


def _typed_like_kb_inside(model: Mention, kb: list[Mention]) -> Mention:
    inner = next((m for m in kb if model.start <= m.start and m.end <= model.end), None)
    return model.model_copy(update={"type": inner.type}) if inner else model


def model_name_mentions(doc: AnalysedArticle) -> Iterator[Mention]:
    for pattern in (MODEL_NAME, VERSIONED_MODEL):
        for match in pattern.finditer(doc.article.text):
            if not _is_date_or_count(match.group()):
                yield _mention(doc, match.start(), match.end(), "AIModel", "model-name")


def _is_date_or_count(name: str) -> bool:
    """'March 3' is a date and 'Phase 2' a count, not models ('Windows 11' stays)."""
    first = name.split()[0].lower().rstrip(".")
    return first in MONTHS or first in ("page", "chapter", "section", "phase", "article", "table", "figure")


def dot_name_mentions(doc: AnalysedArticle) -> Iterator[Mention]:
    """A foreign person's name in Chinese: the word before each name dot and the word after."""
    tokens = doc.tokens
    i = 1
    while i < len(tokens) - 1:
        if tokens[i].norm in NAME_DOTS and _is_name_part(tokens[i - 1]) and _is_name_part(tokens[i + 1]):
            j = i + 1
            while j + 2 < len(tokens) and tokens[j + 1].norm in NAME_DOTS and _is_name_part(tokens[j + 2]):
                j += 2
            # jieba may cut an unknown surname into pieces (纳/德拉): take rare pieces up to 5 characters
            while (j + 1 < len(tokens) and _is_name_part(tokens[j + 1]) and not _is_common_word(tokens[j + 1].norm)
                   and tokens[j + 1].end - tokens[i + 1].start <= 5):
                j += 1
            yield _mention(doc, tokens[i - 1].start, tokens[j].end, "Person", "title")
            i = j
        i += 1


def _is_name_part(token) -> bool:
    return bool(HAN_WORD.fullmatch(token.norm)) and token.norm not in cues.TITLES_ZH


def discourse_names(doc: AnalysedArticle, mentions: list[Mention]) -> list[Mention]:
    """One sense per discourse: a name the article defines or shortens stands for the full
    name everywhere in it. Short forms come from definitions (以下简称, a name in brackets)
    and from standalone uses of a longer name's first words ('Corvane' after 'Corvane
    Semiconductor', 'Gavin' after 'Gavin Baker', 'Atreides' after 'Atreides管理公司'); every
    further occurrence of a known name becomes a mention too."""
    full_of = _defined_names(doc, mentions)
    longer = [m for m in mentions if " " in m.text.strip() and m.type != "Place"]
    for m in mentions:
        if m.text in full_of:
            continue
        words = m.text.split()
        if len(words) <= 2:
            owner = next((f for f in longer if len(f.text.split()) > len(words) and (
                f.text.split()[:len(words)] == words or (f.type == "Person" and m.text in f.text.split()))), None)
            # The article's own person wins over a KB surname; a KB company never shortens another.
            if owner and (m.entity is None or owner.type == "Person" or owner.entity == m.entity):
                full_of[m.text] = owner
        if not LATIN.fullmatch(m.text) and (core := LATIN_PREFIX.match(m.text)):  # Atreides管理公司
            full_of.setdefault(core.group().strip(), m)
        elif m.type != "Person" and (head := _rare_head(doc, m)):  # 台晶 for 台晶微电子
            full_of.setdefault(head, m)
    out = [_as_short(m, full_of.get(m.text)) for m in mentions]
    taken = [(m.start, m.end) for m in out]
    known = {m.text: m for m in mentions if m.type != "Place" and len(m.text) >= 2}
    owners = {o.text: o for o in full_of.values()}
    for name, owner in [*known.items(), *owners.items(), *full_of.items()]:
        for start in _occurrences(doc.norm_text, name):
            end = start + len(name)
            if all(end <= s or start >= e for s, e in taken):
                taken.append((start, end))
                found = _mention(doc, start, end, owner.type, "discourse", owner.entity)
                out.append(_as_short(found, full_of.get(name)))
    return sorted(out, key=lambda m: m.start)


def _rare_head(doc: AnalysedArticle, m: Mention) -> str | None:
    """The first word of a Chinese organisation name, if it is rare enough to be the name on
    its own (台晶 in 台晶微电子; not 中国 in 中国移动)."""
    if doc.article.language != "zh" or m.type == "Place" or len(m.text) < 4:
        return None
    head = next((t for t in doc.tokens if t.start == m.start and t.end < m.end), None)
    return head.text if head is not None and _is_rare_name_word(head.norm) else None


def _defined_names(doc: AnalysedArticle, mentions: list[Mention]) -> dict[str, Mention]:
    """Names defined in brackets right after a mention. A Latin original after a Chinese
    transliteration is the canonical one (the IRI then matches English articles)."""
    defined: dict[str, Mention] = {}
    for m in mentions:
        match = DEFINED_NAME.match(doc.norm_text, m.end)
        if not match:
            continue
        start, end = match.span("name")
        name = doc.article.text[start:end].strip()
        if len(name) < 2 or name == m.text or not (match["marker"] or match["quote"]
                                                    or BRACKETED_NAME.fullmatch(name)):
            continue
        if LATIN.fullmatch(name) and not LATIN.fullmatch(m.text) and m.type == "Person":
            defined[m.text] = _mention(doc, start, start + len(name), m.type, "discourse")
        else:
            defined[name] = m
    return defined


def _as_short(m: Mention, owner: Mention | None) -> Mention:
    if owner is None or owner.text == m.text:
        return m
    return m.model_copy(update={"type": owner.type, "entity": owner.entity,
                                "full_name": owner.full_name or owner.text})


def _occurrences(norm_text: str, name: str) -> Iterator[int]:
    """Where ``name`` stands alone: Latin names at word boundaries and in their case,
    Chinese names in their Simplified form."""
    key = to_simplified(name)
    for match in re.finditer(re.escape(key), norm_text):
        start, end = match.start(), match.end()
        if key[0].isascii() and start and norm_text[start - 1].isascii() and norm_text[start - 1].isalnum():
            continue
        if key[-1].isascii() and end < len(norm_text) and norm_text[end].isascii() and norm_text[end].isalnum():
            continue
        yield start
