"""tests/gold/agreement.py: agreement between the first and second readings of the gold articles."""
from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from tests.gold.agreement import GOLD_DIR, SECOND_DIR, agreement, compare, figures, main

SEED = GOLD_DIR / "000_10e54bcd19c753c1.json"
PARTS = ("entities", "spans", "relations")


def _gold() -> dict:
    return json.loads(SEED.read_text(encoding="utf-8"))


def _check_part(part: dict) -> None:
    assert part["agree"] + part["only_first"] == part["first"]
    assert part["agree"] + part["only_second"] == part["second"]
    assert part["f1"] is None or 0.0 <= part["f1"] <= 1.0


def test_agreement_on_the_second_readings_present():
    result = agreement(GOLD_DIR, SECOND_DIR)
    if not result["articles"]:
        pytest.skip("no second readings in tests/gold/second-reading")
    assert result["missing"] == []
    arts = [a["figures"] for a in result["articles"].values()]
    for f in arts:
        for name in PARTS:
            _check_part(f[name])
        assert f["spans"]["agree"] >= f["entities"]["agree"]  # agreeing on span + label implies the span
        assert f["norm"]["same"] <= f["norm"]["matched"] == f["spans"]["agree"]
    total = result["total"]
    assert total["articles"] == len(arts)
    for name in PARTS:
        _check_part(total[name])
        for key in ("first", "second", "agree"):
            assert total[name][key] == sum(f[name][key] for f in arts)
    assert total["norm"]["matched"] == sum(f["norm"]["matched"] for f in arts)
    assert 0.0 <= total["norm"]["agreement"] <= 1.0
    json.dumps(figures(result))  # the --json output is plain JSON


def test_a_file_agrees_with_itself():
    gold = _gold()
    result = compare(gold, copy.deepcopy(gold))
    f = result["figures"]
    assert f["entities"]["f1"] == f["spans"]["f1"] == f["relations"]["f1"] == f["norm"]["agreement"] == 1.0
    assert all(not items for items in result["disagreements"].values())


def test_one_entity_removed():
    first = _gold()
    second = copy.deepcopy(first)
    in_relations = {(r[k + "_start"], r[k + "_end"]) for r in first["relations"] for k in ("subj", "obj")}
    index = next(i for i, e in enumerate(first["entities"]) if (e["start"], e["end"]) not in in_relations)
    removed = second["entities"].pop(index)
    n = len(first["entities"])
    result = compare(first, second)
    f = result["figures"]
    assert f["entities"]["f1"] == pytest.approx(2 * (n - 1) / (2 * n - 1))
    assert f["spans"]["f1"] == pytest.approx(2 * (n - 1) / (2 * n - 1))
    assert f["norm"] == {"matched": n - 1, "same": n - 1, "agreement": 1.0}
    assert f["relations"]["f1"] == 1.0
    assert result["disagreements"]["entity_only_first"] == [removed]
    assert result["disagreements"]["entity_only_second"] == []


def test_label_norm_and_relation_changes():
    first = _gold()
    second = copy.deepcopy(first)
    n, m = len(first["entities"]), len(first["relations"])
    second["entities"][0]["label"] = "EV" if first["entities"][0]["label"] != "EV" else "AF"
    second["entities"][1]["norm"] = second["entities"][1]["norm"] + "X"
    dropped = second["relations"].pop()
    f = compare(first, second)["figures"]
    assert f["entities"]["f1"] == pytest.approx((n - 1) / n)  # same span, other label: a miss both ways
    assert f["spans"]["f1"] == 1.0
    assert f["norm"]["agreement"] == pytest.approx((n - 1) / n)
    assert f["relations"]["f1"] == pytest.approx(2 * (m - 1) / (2 * m - 1))
    assert compare(first, second)["disagreements"]["relation_only_first"] == [
        (dropped["subj"], dropped["relation"], dropped["obj"])]


def test_command_line(tmp_path, capsys):
    first_dir, second_dir = tmp_path / "first", tmp_path / "second"
    first_dir.mkdir(), second_dir.mkdir()
    (first_dir / SEED.name).write_bytes(SEED.read_bytes())
    (second_dir / SEED.name).write_bytes(SEED.read_bytes())
    out = tmp_path / "agreement.json"
    assert main(["--first", str(first_dir), "--second", str(second_dir), "--json", str(out)]) == 0
    assert "TOTAL (1 articles)" in capsys.readouterr().out
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["total"]["entities"]["f1"] == 1.0 and data["articles"][SEED.stem]["split"] == "seeds"
    (second_dir / "wikinews-nowhere.json").write_bytes(SEED.read_bytes())
    assert main(["--first", str(first_dir), "--second", str(second_dir)]) == 1  # no first reading
    assert "MISSING first reading" in capsys.readouterr().out
