"""Tests for pipeline.report: the HTML report of an extraction.

The seeds plus hostile articles (markup, ``<script>``, ``&lt;`` entities, hostile ids, titles and errors) are
extracted once by the real pipeline (``python -m pipeline extract`` in a subprocess); the report is parsed with the
standard library's HTML parser and checked against the tables: every highlighted span is an ``entities.csv`` row at
the same offsets of the text as read, and nothing from the data becomes markup. If chromium is installed, a real
browser loads a hostile report too.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest

from pipeline.reader import read_articles
from pipeline.report import LABEL_COLORS, hover_text, render_report, run_cli
from pipeline.report_style import readable_number

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"

PLAIN = ('오픈AI는 10일 서울에서 "<script>alert(1)" 문자열과 <img src=x onerror=alert(2)> 코드, 그리고 '
         "&lt;b&gt; &amp; 같은 엔티티를 예시로 공개했다. 이재용 회장이 참석했다.\n")
HTML_ARTICLE = ("<p>삼성전자는 서울에서 &lt;script&gt; 태그 보안 행사를 열었다.</p><script>alert(1)</script>"
                "<p>이재용 회장이 참석했다.</p>\n")
JSONL = ('{"id": "x<script>alert(4)</script>", "title": "<script>alert(5)</script>", '
         '"text": "카카오는 판교에서 행사를 열었다."}\n'
         "{bad json\n"
         '{"id": "x<script>alert(4)</script>", "text": "카카오는 중복 기사를 냈다."}\n')
HOSTILE_TITLE = '<b>굵게</b> & "따옴표" <script>alert(6)</script>'
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


# --------------------------------------------------------------------------- a minimal DOM from html.parser

class Node:
    def __init__(self, tag: str, attrs: dict[str, str | None], parent: "Node | None"):
        self.tag, self.attrs, self.parent, self.children = tag, attrs, parent, []

    def iter(self):
        yield self
        for child in self.children:
            if isinstance(child, Node):
                yield from child.iter()

    def find_all(self, tag: str | None = None, cls: str | None = None, **attrs) -> list["Node"]:
        return [n for n in self.iter() if (tag is None or n.tag == tag)
                and (cls is None or cls in (n.attrs.get("class") or "").split())
                and all(n.attrs.get(k.replace("_", "-")) == v for k, v in attrs.items())]

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else ("\n" if c.tag == "br" else c.text()) for c in self.children)


class TreeBuilder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {}, None)
        self.current = self.root
        self.all_attrs: list[tuple[str, str, str | None]] = []

    def handle_starttag(self, tag, attrs):
        node = Node(tag, dict(attrs), self.current)
        self.all_attrs += [(tag, k, v) for k, v in attrs]
        self.current.children.append(node)
        if tag not in VOID:
            self.current = node

    def handle_startendtag(self, tag, attrs):
        self.current.children.append(Node(tag, dict(attrs), self.current))
        self.all_attrs += [(tag, k, v) for k, v in attrs]

    def handle_endtag(self, tag):
        node = self.current
        while node is not self.root and node.tag != tag:
            node = node.parent
        assert node is not self.root, f"unmatched </{tag}>"
        assert node is self.current, f"</{tag}> closes <{self.current.tag}> early: malformed markup"
        self.current = node.parent

    def handle_data(self, data):
        self.current.children.append(data)


def parse(markup: str) -> TreeBuilder:
    builder = TreeBuilder()
    builder.feed(markup)
    builder.close()
    assert builder.current is builder.root, f"unclosed <{builder.current.tag}>"
    return builder


def highlighted(entities_div: Node) -> tuple[str, list[dict]]:
    """The text an ``entities`` div shows (label tags left out, <br> as newline) and its marks with their
    offsets in that text."""
    parts: list[str] = []
    marks: list[dict] = []

    def walk(node: Node) -> None:
        for child in node.children:
            if isinstance(child, str):
                parts.append(child)
            elif child.tag == "br":
                parts.append("\n")
            elif child.tag == "span" and "entity-label" in (child.attrs.get("class") or ""):
                continue
            elif child.tag == "mark":
                start = len("".join(parts))
                walk(child)
                shown = "".join(parts)[start:]
                labels = [c.text() for c in child.children if isinstance(c, Node) and c.tag == "span"]
                marks.append({"at": start, "shown": shown, "label_tag": labels, **child.attrs})
            else:
                walk(child)

    walk(entities_div)
    return "".join(parts), marks


# --------------------------------------------------------------------------- the extraction, once

@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    base = tmp_path_factory.mktemp("report")
    inputs, out = base / "inputs", base / "out"
    inputs.mkdir()
    for path in SEEDS.glob("*.txt"):
        shutil.copy(path, inputs / path.name)
    meta = pd.read_csv(SEEDS / "articles.csv", dtype=str, keep_default_na=False)
    meta = pd.concat([meta, pd.DataFrame([{"id": "991_plain", "published": "2025-09-10", "publisher": "",
                                           "title": HOSTILE_TITLE}])])
    meta.to_csv(inputs / "articles.csv", index=False)
    (inputs / "990_html.txt").write_text(HTML_ARTICLE, encoding="utf-8")
    (inputs / "991_plain.txt").write_text(PLAIN, encoding="utf-8")
    (inputs / "992.jsonl").write_text(JSONL, encoding="utf-8")
    (inputs / "993_empty.txt").write_text("  \n", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-m", "pipeline", "extract", str(inputs), "--out", str(out)],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 3, done.stderr  # 3: some articles failed, as they should
    assert run_cli([str(inputs), "--out", str(out)]) == 0
    markup = (out / "report.html").read_text(encoding="utf-8")
    tables = {name: pd.read_csv(out / f"{name}.csv", dtype=str, keep_default_na=False)
              for name in ("articles", "entities", "relations")}
    texts = {a.article_id: a.text for a in read_articles([inputs])}
    return {"inputs": inputs, "out": out, "html": markup, "doc": parse(markup), "texts": texts, **tables}


def sections(doc: TreeBuilder) -> dict[str, Node]:
    """article id -> its <article> section (the id is the first item of the section's meta line)."""
    found = {}
    for node in doc.root.find_all("article"):
        meta = node.find_all("p", cls="muted")[0].text()
        found[meta.split(" · ")[0]] = node
    return found


# --------------------------------------------------------------------------- the report of the corpus

def test_report_is_one_self_contained_page(corpus):
    markup, doc = corpus["html"], corpus["doc"]
    assert markup.startswith("<!DOCTYPE html>")
    assert doc.root.find_all("meta", charset="utf-8")
    assert not doc.root.find_all("link") and not doc.root.find_all("iframe") and not doc.root.find_all("img")
    for tag, name, value in doc.all_attrs:
        assert name not in ("src", "srcset", "action", "formaction"), (tag, name, value)
        if name == "href":
            assert value.startswith("#"), value  # only links within the page
    styles = "".join(node.text() for node in doc.root.find_all("style"))
    assert "url(" not in styles and "@import" not in styles  # nothing fetched from elsewhere
    assert not (corpus["out"] / ".report.html").exists()
    assert not [p for p in corpus["out"].iterdir() if p.name.startswith(".report.html.")]  # no temporary left


def test_no_script_or_handler_comes_from_the_data(corpus):
    doc = corpus["doc"]
    assert doc.root.find_all("script") == []
    assert [a for a in doc.all_attrs if a[1].startswith("on")] == []
    assert [a for a in doc.all_attrs if "javascript:" in (a[2] or "").lower()] == []
    # and the hostile pieces are there as text
    page_text, _ = highlighted(doc.root)  # the page's text without the label tags of the marks
    for shown in ('"<script>alert(1)"', "<img src=x onerror=alert(2)>", "&lt;b&gt; &amp;", HOSTILE_TITLE,
                  "x<script>alert(4)</script>", "<script>alert(5)</script>",
                  "duplicate article id 'x<script>alert(4)</script>'"):
        assert shown in page_text, shown
    titles = [h.text() for h in doc.root.find_all("h2")]
    assert HOSTILE_TITLE in titles and "<script>alert(5)</script>" in titles


def test_every_article_text_is_shown_exactly_as_read(corpus):
    found = sections(corpus["doc"])
    ok = corpus["articles"][corpus["articles"]["status"] == "ok"]["article_id"].tolist()
    assert sorted(found) == sorted(ok)
    for article_id, section in found.items():
        (div,) = section.find_all("div", cls="entities")
        shown, _ = highlighted(div)
        assert shown == corpus["texts"][article_id], article_id


def test_highlighted_spans_match_entities_csv(corpus):
    entities = corpus["entities"]
    total = 0
    for article_id, section in sections(corpus["doc"]).items():
        (div,) = section.find_all("div", cls="entities")
        text, marks = highlighted(div)
        rows = entities[entities["article_id"] == article_id]
        want = sorted((int(r.start), int(r.end), r.label, r.text, r.entity_id) for r in rows.itertuples())
        got = sorted((m["at"], m["at"] + len(m["shown"]), m["data-label"], m["shown"], m["data-entity-id"])
                     for m in marks)
        assert got == want, article_id
        for mark in marks:
            assert int(mark["data-start"]) == mark["at"] and int(mark["data-end"]) == mark["at"] + len(mark["shown"])
            assert text[mark["at"]:mark["at"] + len(mark["shown"])] == mark["shown"]
            assert mark["label_tag"] == [mark["data-label"]]
            assert LABEL_COLORS[mark["data-label"]] in mark["style"]
        by_span = {(int(r.start), int(r.end)): r._asdict() for r in rows.itertuples()}
        for mark in marks:
            row = by_span[(mark["at"], mark["at"] + len(mark["shown"]))]
            assert mark["title"] == hover_text(row)
            if row["label"] == "QT":
                assert mark["title"].startswith(f"QT {readable_number(row['value'])} {row['unit']}".strip())
                assert ("(approx)" in mark["title"]) == (row["approx"] == "True")
            else:
                assert mark["title"].startswith(f"{row['label']} → {row['norm'] or row['text']}")
        total += len(marks)
    assert total == len(entities[entities["article_id"].isin(sections(corpus["doc"]))]) > 150


def test_seed_hover_texts(corpus):
    section = sections(corpus["doc"])["000_10e54bcd19c753c1"]
    titles = {(m["data-label"], m["shown"]): m["title"] for m in highlighted(section.find_all("div", cls="entities")[0])[1]}
    expected = {("QT", "2031만명"): r"QT 20,310,000 명", ("QT", "3배 이상"): r"QT 3 배 \(approx\)",
                ("LC", "韓"): "LC → 한국", ("DT", "오는 11일"): "DT → 2025-09-11", ("OG", "오픈AI"): "OG → 오픈AI"}
    for key, pattern in expected.items():
        assert re.fullmatch(pattern + r" \[E\d+\]", titles[key]), (key, titles[key])


def test_relations_tables_match_relations_csv(corpus):
    relations = corpus["relations"]
    for article_id, section in sections(corpus["doc"]).items():
        tables = section.find_all("table")
        rows = relations[relations["article_id"] == article_id]
        if rows.empty:
            assert not tables
            continue
        (table,) = tables
        assert [th.text() for th in table.find_all("th")] == ["subject", "relation", "object", "evidence"]
        body = [[td.text() for td in tr.find_all("td")] for tr in table.find_all("tbody")[0].find_all("tr")]
        assert len(body) == len(rows)
        for cells, row in zip(body, rows.itertuples()):
            assert row.subj in cells[0] and cells[0].startswith(row.subj_label)
            assert cells[1] == row.relation
            assert row.obj in cells[2] and cells[2].startswith(row.obj_label)
            assert cells[3] == row.evidence


def _summary_table(doc: TreeBuilder, heading: str) -> list[list[str]]:
    (summary,) = doc.root.find_all("section", id="summary")
    for block in summary.find_all("div"):
        h3 = [c for c in block.children if isinstance(c, Node) and c.tag == "h3"]
        if h3 and h3[0].text().startswith(heading):
            tables = block.find_all("table")
            return [[td.text() for td in tr.find_all("td")] for tr in tables[0].find_all("tr")[1:]] if tables else []
    raise AssertionError(f"no summary table {heading!r}")


def test_summary_covers_the_corpus(corpus):
    doc, entities, relations, articles = corpus["doc"], corpus["entities"], corpus["relations"], corpus["articles"]
    per_label = {row[0]: int(row[2].replace(",", "")) for row in _summary_table(doc, "Entities per label")}
    assert per_label == dict(Counter(entities["label"]))
    per_relation = {row[0]: int(row[1].replace(",", "")) for row in _summary_table(doc, "Relations")}
    assert per_relation == dict(Counter(relations["relation"]))
    top = _summary_table(doc, "Top 15")
    assert 0 < len(top) <= 15
    assert {tuple(row[:2]) for row in top[:2]} == {("LC", "한국"), ("OG", "오픈AI")}  # the most mentioned
    assert all(row[0] not in ("QT", "DT", "TI") for row in top)
    mentions = [int(row[2]) for row in top]
    assert mentions == sorted(mentions, reverse=True)
    failed = {row[0]: row[2] for row in _summary_table(doc, "Failed articles")}
    want = {r.article_id: r.error for r in articles[articles["status"] == "error"].itertuples()}
    assert failed == want and len(failed) == 3
    assert failed["993_empty"] == "empty article: no text"
    assert failed["992#2"].startswith("malformed JSON line")
    (stats,) = doc.root.find_all("div", cls="stats")
    n_chars = sum(int(n) for n in articles["n_chars"])
    assert stats.text().split() == [f"{len(articles)}articles", f"{len(articles) - 3}ok", "3failed",
                                    f"{len(entities)}entities", f"{len(relations)}relations", f"{n_chars:,}characters"]


def test_report_limit_caps_sections_not_the_summary(corpus, tmp_path):
    out = tmp_path / "out"
    shutil.copytree(corpus["out"], out)
    (out / "report.html").unlink()
    assert run_cli([str(corpus["inputs"]), "--out", str(out), "--report-limit", "1"]) == 0
    doc = parse((out / "report.html").read_text(encoding="utf-8"))
    assert len(doc.root.find_all("article")) == 1
    per_label = {row[0]: int(row[2]) for row in _summary_table(doc, "Entities per label")}
    assert sum(per_label.values()) == len(corpus["entities"])
    assert "--report-limit 1" in doc.root.find_all("section", id="articles")[0].text()


def test_typed_tables_render_like_csv_strings(corpus):
    """Tables straight from build_tables or Parquet (ints, floats with NaN, bools, None) render the same page."""
    entities = corpus["entities"].copy()
    for column in ("start", "end", "sentence_id"):
        entities[column] = entities[column].astype(int)
    entities["value"] = pd.to_numeric(entities["value"].replace("", None))
    entities["approx"] = entities["approx"].map({"True": True, "False": False, "": None})
    entities["norm"] = entities["norm"].replace("", None)
    articles = corpus["articles"].copy()
    articles["n_chars"] = articles["n_chars"].astype(int)
    strings = render_report(corpus["articles"], corpus["entities"], corpus["relations"], corpus["texts"])
    typed = render_report(articles, entities, corpus["relations"], corpus["texts"])
    strip = lambda page: re.sub(r"generated [0-9: -]+", "", page)  # noqa: E731
    assert strip(typed) == strip(strings)


def test_cli_without_tables_fails_cleanly(tmp_path, capsys):
    assert run_cli([str(SEEDS), "--out", str(tmp_path)]) == 2
    assert "run `python -m pipeline extract" in capsys.readouterr().err
    assert not (tmp_path / "report.html").exists()


# --------------------------------------------------------------------------- render_report, the pure function

PAYLOAD_TEXT = 'A <script>document.title="PWNED"</script> B "q" \'s\' &lt; 한국\n<b onmouseover=x>둘째 줄</b>'


def _frames(text: str, ents: list[dict]):
    entities = pd.DataFrame([{"article_id": "a1", "entity_id": f"E{i}", "sentence_id": 0, "value": "", "unit": "",
                              "approx": "", **e} for i, e in enumerate(ents, start=1)])
    articles = pd.DataFrame([{"article_id": "a1", "source": "<i>src</i>", "published": "", "title": "<i>t</i>",
                              "n_chars": len(text), "n_sentences": 1, "n_entities": len(ents), "n_relations": 1,
                              "status": "ok", "error": ""}])
    relations = pd.DataFrame([{"article_id": "a1", "sentence_id": 0, "subj": "<script>", "subj_norm": "x\"><script>",
                               "subj_label": "EV", "relation": "org:<b>", "obj": "한국", "obj_norm": "한국",
                               "obj_label": "LC", "evidence": "<script>document.title='PWNED'</script>"}])
    return articles, entities, relations


def test_render_report_escapes_text_attributes_and_cells():
    start = PAYLOAD_TEXT.index("<script>")
    ents = [{"start": start, "end": start + 8, "text": "<script>", "label": "EV",
             "norm": '"><script>document.title="PWNED"</script>'},
            {"start": PAYLOAD_TEXT.index("한국"), "end": PAYLOAD_TEXT.index("한국") + 2, "text": "한국", "label": "LC",
             "norm": "대한민국 & 'Korea'"}]
    markup = render_report(*_frames(PAYLOAD_TEXT, ents), texts={"a1": PAYLOAD_TEXT})
    doc = parse(markup)
    assert doc.root.find_all("script") == [] and not [a for a in doc.all_attrs if a[1].startswith("on")]
    (div,) = doc.root.find_all("div", cls="entities")
    shown, marks = highlighted(div)
    assert shown == PAYLOAD_TEXT
    assert [(m["shown"], m["title"]) for m in marks] == [
        ("<script>", 'EV → "><script>document.title="PWNED"</script> [E1]'), ("한국", "LC → 대한민국 & 'Korea' [E2]")]
    cells = [td.text() for td in doc.root.find_all("article")[0].find_all("td")]
    assert cells[1] == "org:<b>" and cells[3] == "<script>document.title='PWNED'</script>"
    assert "EV <script> → x\"><script>" in cells[0]
    assert "<i>t</i>" in [h.text() for h in doc.root.find_all("h2")]


def test_render_report_leaves_out_rows_that_do_not_fit_the_text():
    text = "오픈AI 코리아가 서울에서 출범했다."
    ents = [{"start": 0, "end": 4, "text": "오픈AI", "label": "OG", "norm": "오픈AI"},
            {"start": 0, "end": 8, "text": "오픈AI 코리아", "label": "OG", "norm": ""},     # overlaps the first
            {"start": 10, "end": 12, "text": "부산", "label": "LC", "norm": ""},            # not the text there
            {"start": 30, "end": 40, "text": "없음", "label": "LC", "norm": ""}]            # outside the text
    doc = parse(render_report(*_frames(text, ents), texts={"a1": text}))
    shown, marks = highlighted(doc.root.find_all("div", cls="entities")[0])
    assert shown == text and [m["shown"] for m in marks] == ["오픈AI"]
    warning = [d.text() for d in doc.root.find_all("div", cls="warning")]
    assert len(warning) == 1 and warning[0].startswith("3 entities of the tables are not highlighted")


def test_render_report_without_text_or_entities():
    articles, entities, relations = _frames("x", [])
    entities = pd.DataFrame(columns=["article_id", "entity_id", "sentence_id", "start", "end", "text", "label",
                                     "norm", "value", "unit", "approx"])
    doc = parse(render_report(articles, entities, relations.iloc[0:0], texts={}))
    assert "Text not available" in doc.root.find_all("article")[0].text()
    assert "no relations found" in doc.root.find_all("article")[0].text()


# --------------------------------------------------------------------------- a real browser

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")


@pytest.mark.skipif(CHROMIUM is None, reason="no chromium: the browser check runs in `make report-check`")
def test_browser_runs_nothing_from_the_article(tmp_path):
    start = PAYLOAD_TEXT.index("<script>")
    ents = [{"start": start, "end": start + 8, "text": "<script>", "label": "EV",
             "norm": '"><img src=x onerror="document.title=\'PWNED\'">'}]
    page = tmp_path / "report.html"
    page.write_text(render_report(*_frames(PAYLOAD_TEXT, ents), texts={"a1": PAYLOAD_TEXT}), encoding="utf-8")
    profile = tempfile.mkdtemp(prefix="chromium-profile-")
    try:
        done = subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                               "--no-first-run", "--disable-background-networking", "--disable-component-update",
                               "--disable-sync", f"--user-data-dir={profile}", "--dump-dom", page.as_uri()],
                              capture_output=True, text=True, timeout=120)
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    assert "</html>" in done.stdout, done.stderr[-2000:]
    dom = parse(done.stdout)  # the DOM after the browser parsed the page and ran whatever it would run
    assert [t.text() for t in dom.root.find_all("title")] == ["Extraction report: 1 articles"]  # not PWNED
    assert not dom.root.find_all("script") and not dom.root.find_all("img")
    assert not dom.root.find_all("div", cls="entities")[0].find_all("b")
    assert not [a for a in dom.all_attrs if a[1].startswith("on")]
    shown, marks = highlighted(dom.root.find_all("div", cls="entities")[0])
    assert shown == PAYLOAD_TEXT
    assert [m["title"] for m in marks] == ['EV → "><img src=x onerror="document.title=\'PWNED\'"> [E1]']
