"""kg eval --finre: FinRE reading, label directions, and end-to-end scoring rules."""
from __future__ import annotations

from click.testing import CliRunner

from kg import evaluate_finre as finre
from kg.cli import main

LINES = [
    "恒锐集团\t星岩科技\t收购\t恒锐集团以5亿元收购星岩科技。",
    "星岩科技\t恒锐集团\t被收购\t恒锐集团以5亿元收购星岩科技。",  # the same fact read backwards
    "恒锐集团\t鼎元证券\tunknown\t恒锐集团与鼎元证券签署合作协议。",
    "奇点\t星岩科技\t合作\t奇点与星岩科技开展合作。",  # 奇点: no extractor finds it
]


def write(tmp_path, lines=LINES):
    path = tmp_path / "finre.txt"
    path.write_text("\n\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_passive_label_is_the_base_label_read_backwards():
    assert finre.fact("被收购", "B", "A") == finre.fact("收购", "A", "B") == ("收购", ("A", "B"))


def test_symmetric_labels_ignore_direction():
    assert finre.fact("合作", "B", "A") == finre.fact("合作", "A", "B")


def test_every_finre_label_but_unknown_and_self_is_mapped_by_the_ontology():
    mapped = finre.scored_labels(finre.label_map())
    labels = {"注资", "拥有", "纠纷", "增持", "重组", "买资", "签约", "持股", "交易", "入股", "转让", "成立", "分析",
              "合作", "帮助", "发行", "商讨", "合并", "竞争", "订单", "减持", "合资", "收购", "借壳", "欠款", "拟收购"}
    assert mapped == labels


def test_reader_skips_blank_lines_and_honours_limit(tmp_path):
    path = write(tmp_path)
    assert len(finre.read_finre(path)) == 4
    assert [i.label for i in finre.read_finre(path, limit=2)] == ["收购", "被收购"]


def test_scoring_counts_a_fact_once_a_prediction_on_unknown_as_false_positive_and_a_lost_entity_as_miss(tmp_path):
    tally = finre.evaluate(finre.read_finre(write(tmp_path)))
    assert tally.tp == {"收购": 1}
    assert set(tally.fp) and set(tally.fp) <= {"合作", "签约"}  # 恒锐集团 and 鼎元证券 are annotated unrelated
    assert tally.fn == {"合作": 1}
    assert (tally.pairs_found, tally.pairs) == (2, 3)


def test_gold_entities_find_every_pair(tmp_path):
    tally = finre.evaluate(finre.read_finre(write(tmp_path)), finre.extract_with_gold_entities)
    assert tally.pairs_found == tally.pairs == 3
    assert tally.tp["合作"] == 1


def test_cli_reports_per_relation_and_micro_scores(tmp_path):
    result = CliRunner().invoke(main, ["eval", "--finre", str(write(tmp_path)), "--limit", "2"])
    assert result.exit_code == 0, result.output
    assert "收购" in result.output and "micro" in result.output
    assert "1/1" in result.output  # entity pairs found


def test_cli_eval_still_needs_gold_and_graph_without_finre():
    result = CliRunner().invoke(main, ["eval"])
    assert result.exit_code != 0 and "--finre" in result.output


def test_cli_rejects_a_malformed_finre_line(tmp_path):
    result = CliRunner().invoke(main, ["eval", "--finre", str(write(tmp_path, ["only\ttwo"]))])
    assert result.exit_code != 0 and "tabs" in result.output
