"""Saved analyst queries (kg/queries/*.rq) on real builds: what each returns, parameters in any
language, values that are terms and never query text, the list, the errors, plain SPARQL files."""
from __future__ import annotations

import re

import pyoxigraph as ox
import pytest
from rdflib.plugins.sparql import prepareQuery

from kg import query, saved
from kg.store import STORE_DIR
from tests.conftest import ROOT, run_cli

RIVALS = ROOT / "tests" / "data" / "en-rivals-and-leases.txt"
ENTITY_QUERIES = ["analysts-of", "competitors-of", "lease-cancellations", "people-at", "relations-of", "stock-moves"]


@pytest.fixture(scope="module")
def db(bilingual_build) -> ox.Store:
    return ox.Store.read_only(str(bilingual_build / STORE_DIR))


@pytest.fixture(scope="module")
def rivals(tmp_path_factory) -> ox.Store:
    """A small English article with competitors, a denial, a rumour and a lease-cancellation event,
    which the example lacks."""
    out = tmp_path_factory.mktemp("rivals")
    result = run_cli("build", RIVALS, "-o", out, "--no-export")
    assert result.exit_code == 0, result.output
    return ox.Store.read_only(str(out / STORE_DIR))


def rows(db: ox.Store, name: str, **params: str) -> list[dict[str, str | None]]:
    result = saved.run_saved(db, name, params)
    return [dict(zip(result.variables, row)) for row in result.rows]


def test_analysts_of_microsoft_are_td_cowen_with_what_it_said(db):
    found = rows(db, "analysts-of")
    assert {r["analyst"] for r in found} == {"TD Cowen"}
    said = {(r["claim"], r["outlet"], r["said"]) for r in found}
    assert ("analystOf", "Example Tech Daily", "Microsoft has cancelled leases with two private data center operators, "
            "according to a report from TD Cowen, raising questions about how much computing capacity the software "
            "giant really needs.") in said
    assert any(claim == "cancelledLeaseWith" and "TD Cowen分析師" in sentence for claim, _, sentence in said)


def test_lease_cancellations_give_the_counterparties_and_sites(db):
    found = {(r["name"], r["cancelled"], r["with"], r["published"]) for r in rows(db, "lease-cancellations")}
    assert found == {("Microsoft", "lease", "private data center operators", "2025-02-24"),
                     ("Microsoft", "lease", "私营数据中心运营商", "2025-02-25"),
                     ("Microsoft", "data center", "Atlanta", "2025-02-25"),
                     ("Microsoft", "data center", "Kenosha", "2025-02-25")}
    assert rows(db, "lease-cancellations", company="Vistra") == []


def test_lease_cancellation_events_give_date_and_power(rivals):
    found = {(r["cancelled"], r["with"], r["date"], r["amount"], r["unit"])
             for r in rows(rivals, "lease-cancellations", company="Microsoft")}
    assert found == {("lease (event)", "CoreWeave", "2025-03-03", "200", "MW"),
                     ("lease", "Equinix", None, None, None)}


def test_stock_moves_by_date_and_filtered(db):
    moves = rows(db, "stock-moves")
    first = moves[0]
    assert (first["date"], first["name"], first["change"], first["evidence"]) == (
        "2025-02-21", "Microsoft", "-1.9", "Microsoft shares fell 1.9% on Friday.")
    assert [r["date"] for r in moves] == sorted(r["date"] for r in moves)
    assert {r["name"] for r in moves} == {"Microsoft", "Applied Digital", "Digital Realty Trust", "Vistra"}
    later = rows(db, "stock-moves", company="Microsoft", since="2025-02-22")
    assert [(r["date"], r["change"]) for r in later] == [("2025-02-24", "-1")]


def test_people_at_a_company_with_their_roles(db):
    assert {(r["person"], r["role"], r["status"]) for r in rows(db, "people-at")} == {
        ("Satya Nadella", "ceoOf", "Reported")}
    assert {(r["person"], r["role"]) for r in rows(db, "people-at", company="OpenAI")} == {("Sam Altman", "founderOf")}


def test_relations_of_microsoft_are_its_merged_edges_each_with_sources(db):
    found = rows(db, "relations-of")
    facts = query.run(db, "SELECT DISTINCT ?fact WHERE { ?fact a nkg:Fact ; rdf:subject|rdf:object org:microsoft }")
    assert len({(r["subject"], r["relation"], r["object"]) for r in found}) == len(facts.terms) == 8
    assert all(r["evidence"] and r["title"] and r["outlet"] and r["published"] for r in found)
    assert {"analystOf", "cancelledLeaseWith", "ceoOf", "providesServiceTo", "reportedOn"} <= {r["relation"] for r in found}
    lease = next(r for r in found if r["object"] == "private data center operators")
    assert (lease["assertedBy"], lease["confidence"], lease["sources"]) == ("TD Cowen", "0.6", "1")


def test_competitors_in_either_direction(db, rivals):
    assert rows(db, "competitors-of", company="Microsoft") == []  # the example names no rival of Microsoft
    assert {(r["name"], r["competitor"]) for r in rows(db, "competitors-of")} == {  # every rivalry, both sides
        ("GPT-4", "Grok-3"), ("Grok-3", "GPT-4")}
    assert {r["competitor"] for r in rows(db, "competitors-of", company="GPT-4")} == {"Grok-3"}
    found = rows(rivals, "competitors-of", company="Microsoft")
    assert {(r["competitor"], r["evidence"]) for r in found} == {
        ("Google", "Google competes with Microsoft in cloud computing, analysts say."),
        ("Amazon", "Amazon is a rival to Microsoft in data centers.")}
    assert {r["competitor"] for r in rows(rivals, "competitors-of", company="Google")} == {"Microsoft"}


def test_changed_since_keeps_articles_published_on_or_after_the_day(db):
    everything = rows(db, "changed-since")
    since = rows(db, "changed-since", since="2025-02-25")
    assert {r["published"] for r in everything} == {"2025-02-24", "2025-02-25"}
    assert {(r["published"], r["outlet"]) for r in since} == {("2025-02-25", "網易")}
    assert len(since) == len([r for r in everything if r["published"] == "2025-02-25"]) == 21
    assert ("Microsoft", "StockPriceChange", "-1.9%") in {(r["subject"], r["what"], r["object"]) for r in since}
    assert rows(db, "changed-since", since="2025-03-01") == []


def test_statements_by_status(db, rivals):
    planned = rows(db, "statements-by-status", status="planned")
    assert {r["statusName"] for r in planned} == {"Planned"}
    assert ("Microsoft", "CapitalExpenditurePlan", "80000000000 USD") in {
        (r["subject"], r["what"], r["object"]) for r in planned}
    assert rows(db, "statements-by-status", status="denied") == []
    assert {r["statusName"] for r in rows(db, "statements-by-status")} == {"Planned", "Reported"}
    denied = rows(rivals, "statements-by-status", status="Denied")
    assert [(r["subject"], r["what"], r["object"]) for r in denied] == [("Microsoft", "acquired", "Inflection AI")]
    rumoured = rows(rivals, "statements-by-status", status="rumoured")
    assert [(r["what"], r["object"]) for r in rumoured] == [("plansToAcquire", "Mistral AI")]


def test_most_connected_ranks_organisations(db):
    ranked = rows(db, "most-connected")
    assert (ranked[0]["rank"], ranked[0]["name"], ranked[0]["links"]) == ("1", "Microsoft", "8")
    assert (ranked[1]["rank"], ranked[1]["name"]) == ("2", "OpenAI")
    assert "Satya Nadella" not in {r["name"] for r in ranked}  # people are not companies
    assert [r["name"] for r in rows(db, "most-connected", top="1")] == ["Microsoft"]


def test_bilingual_entities_carry_both_names(db):
    found = {r["english"]: r for r in rows(db, "bilingual-entities")}
    assert (found["Microsoft"]["chinese"], found["Microsoft"]["englishArticles"], found["Microsoft"]["chineseArticles"]) \
        == ("微软", "1", "1")
    assert found["Satya Nadella"]["chinese"] == "萨提亚·纳德拉"
    assert not {"Vistra", "DeepSeek", "Wall Street"} & set(found)  # named only in the Chinese article


def test_relations_with_evidence_lists_every_statement(db):
    found = rows(db, "relations-with-evidence")
    statements = query.run(db, "SELECT ?s WHERE { GRAPH ?g { ?s a rdf:Statement } }").rows
    assert len(found) == len(statements) > 20 and all(r["evidence"] for r in found)


@pytest.mark.parametrize("name", [q.name for q in saved.saved_queries()])
def test_order_by_tells_every_row_apart(db, rivals, name):
    """The order does not depend on how the store happens to hold the data, and no row repeats."""
    order_by = re.search(r"^ORDER BY (.+)$", saved.saved_query(name).text, re.MULTILINE)[1]
    keys = re.findall(r"\?(\w+)", order_by)
    for graph in (db, rivals):
        found = [tuple(row[key] for key in keys) for row in rows(graph, name)]
        assert len(found) == len(set(found)), (keys, [key for key in found if found.count(key) > 1])


def test_two_moves_from_one_sentence_are_ordered_too(db):
    """Extraction can read two moves of one company from one sentence (NVIDIA -8.5% and an index's -6%)."""
    copy = ox.Store()
    copy.extend(db)
    move = next(iter(copy.query("SELECT ?m ?g WHERE { GRAPH ?g { ?m a nkg:StockPriceChange } } LIMIT 1",
                                prefixes=query.PREFIXES)))
    twin = ox.NamedNode(move["m"].value + "-twin")
    for quad in list(copy.quads_for_pattern(move["m"], None, None)):
        change = ox.Literal("-99", datatype=quad.object.datatype) if quad.predicate.value.endswith("percentChange") \
            else quad.object
        copy.add(ox.Quad(twin, quad.predicate, change, quad.graph_name))
    found = rows(copy, "stock-moves")
    assert "-99" in {row["change"] for row in found}
    order_by = re.search(r"^ORDER BY (.+)$", saved.saved_query("stock-moves").text, re.MULTILINE)[1]
    keys = [tuple(row[key] for key in re.findall(r"\?(\w+)", order_by)) for row in found]
    assert len(keys) == len(set(keys))


@pytest.mark.parametrize("name", ENTITY_QUERIES)
def test_an_entity_in_chinese_gives_the_same_rows(db, rivals, name):
    graph = rivals if name == "competitors-of" else db
    english = saved.run_saved(graph, name, {"company": "Microsoft"} if name != "relations-of" else {"entity": "Microsoft"})
    for chinese in ("微软", "微軟", "org:microsoft"):
        given = {"entity" if name == "relations-of" else "company": chinese}
        assert saved.run_saved(graph, name, given).terms == english.terms
    assert english.terms


def test_a_value_is_a_term_never_query_text(db):
    evil = 'Microsoft" } UNION { ?s ?p ?o } #'
    with pytest.raises(ValueError, match="no such entity"):
        saved.run_saved(db, "relations-of", {"entity": evil})
    # Even bound straight to the variable, it is one literal that matches nothing.
    text = saved.saved_query("relations-of").text
    assert query.run(db, text, {ox.Variable("entity"): ox.Literal(evil)}).terms == []
    string = saved.Param(name="x", kind="string", help="")
    assert saved.term(db, string, evil) == ox.Literal(evil)


@pytest.mark.parametrize("params, message", [
    ({"since": "24/02/2025"}, "since=24/02/2025: expected a date YYYY-MM-DD"),
    ({"since": "2025-02-30"}, "since=2025-02-30: expected a date"),
    ({"company": "Nokia"}, "company=Nokia: no such entity"),
    ({"firm": "x"}, "stock-moves: no parameter firm (its parameters: company, since)"),
])
def test_bad_values_are_named(db, params, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        saved.run_saved(db, "stock-moves", params)


def test_every_file_is_plain_sparql_that_runs_as_it_is(db):
    """Runnable in any SPARQL tool: its own prefixes, its defaults in the text, no substitutions."""
    queries = saved.saved_queries()
    assert len(queries) == 11
    for q in queries:
        prepareQuery(q.text)  # rdflib's parser, no predeclared prefixes
        assert q.title and q.description, q.name
        solutions = db.query(q.text)  # no predeclared prefixes either
        variables = [v.value for v in solutions.variables]
        assert [[s[v] for v in variables] for s in solutions] == saved.run_saved(db, q.name, {}).terms, q.name


def test_every_parameter_is_a_projected_variable_that_binds(db):
    values = {"entity": "Microsoft", "date": "2025-02-01", "status": "reported", "integer": "3", "string": "x"}
    for q in saved.saved_queries():
        given = {p.name: values[p.kind] for p in q.params}
        text, terms = saved.prepare(db, q.name, given)
        result = query.run(db, text, terms)
        assert all(p.name in result.variables for p in q.params), q.name
        for variable, term in terms.items():  # every row is about the value given
            column = result.variables.index(variable.value)
            assert {row[column] for row in result.terms} <= {term}, (q.name, variable)


def test_list_names_every_query_with_its_parameters():
    result = run_cli("query", "--list")
    assert result.exit_code == 0
    for q in saved.saved_queries():
        assert f"{q.name}  {q.title}" in result.output
    assert "--param company=…  entity, default org:microsoft: The company" in result.output
    assert "--param status=…  status, optional:" in result.output
    assert "--param top=…  integer, default 10:" in result.output


def test_cli_runs_a_saved_query_on_the_store_and_on_a_graph_file(bilingual_build):
    on_store = run_cli("query", "-s", bilingual_build, "--saved", "people-at", "--param", "company=微软", "--format", "csv")
    on_file = run_cli("query", "-g", bilingual_build / "graph.trig", "--saved", "people-at", "--param", "company=微軟",
                      "--format", "csv")
    assert on_store.exit_code == on_file.exit_code == 0
    assert on_store.output == on_file.output
    assert on_store.output.splitlines()[0] == "person,role,status,published,outlet,evidence,company"
    assert "Satya Nadella,ceoOf" in on_store.output


@pytest.mark.parametrize("args, message", [
    (["--saved", "analyst-of"], "analyst-of: no such saved query (did you mean analysts-of?)"),
    (["--saved", "analysts-of", "--param", "company"], "--param 'company': expected NAME=VALUE"),
    (["--saved", "analysts-of", "--param", "firm=TD Cowen"], "analysts-of: no parameter firm"),
    (["--saved", "statements-by-status", "--param", "status=maybe"],
     "status=maybe: expected one of reported, rumoured, denied, planned, predicted"),
    (["--saved", "most-connected", "--param", "top=ten"], "top=ten: expected a whole number"),
])
def test_cli_errors_are_one_line_naming_the_input(bilingual_build, args, message):
    result = run_cli("query", "-s", bilingual_build, *args)
    assert result.exit_code != 0
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"Error: {message}"), result.output
