"""The synthetic country meets its calibration exactly (scaled), through the real services: the annual report's
welfare figures equal the scaled targets, the books verify, and the summaries equal a recomputation."""

import csv
import io
import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from chumchon.core.thai.national_id import is_valid
from chumchon.insights import summaries
from chumchon.insights.synth import Calibration, SynthError, split
from chumchon.insights.synth_councils import CouncilTargetError, CouncilTargets
from chumchon.people.models import Person, PersonalData

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "synth" / "seed-2565.toml"
SMALL = Path(__file__).parent / "data" / "small.toml"
FIGURE_OF_TARGET = {"funds": "welfare.funds", "members": "welfare.members", "fund_money": "welfare.fund_money",
                    "recipients": "welfare.recipients_cumulative", "payouts": "welfare.payouts_cumulative",
                    "matched_funds": "welfare.matched_funds", "matched_members": "welfare.matched_members",
                    "matching_money": "welfare.matching_money"}


def _assert_council_figures(figures: dict, calibration: Calibration, scale: float) -> CouncilTargets:
    """The report's councils figures equal the calibration's council targets at the scale."""
    councils = CouncilTargets.from_config(calibration.councils, scale)
    for target in ("local_administrations", "councils", "members", "organisations", "assessed"):
        assert figures[f"councils.{target}"]["value"] == getattr(councils, target), target
    for grade, count in councils.grades.items():
        assert figures.get(f"councils.grade_{grade}", {"value": 0})["value"] == count, grade
    return councils


def _check(config: Path, scale: float, capture) -> None:
    calibration = Calibration.load(config)
    with capture(execute=True):  # the summaries follow each fund's commit
        call_command("synth", "--config", str(config), "--scale", str(scale), "--force", stdout=io.StringIO())
    out = io.StringIO()
    call_command("annual-report", "--fiscal-year", str(calibration.fiscal_year), "--format", "json", stdout=out)
    figures = json.loads(out.getvalue())["figures"]
    for target, expected in calibration.scaled(scale).items():
        got = figures[FIGURE_OF_TARGET[target]]["value"]
        assert Decimal(str(got)) == Decimal(expected), (target, got, expected)
    councils = _assert_council_figures(figures, calibration, scale)
    assert councils.assessed == sum(councils.grades.values()) and councils.councils
    call_command("ledger_verify", stdout=io.StringIO())  # raises CommandError on any disagreement
    assert summaries.differences() == []
    ids = list(PersonalData.objects.exclude(national_id=None).values_list("national_id", flat=True))
    assert ids and all(is_valid(i) for i in ids)
    return ids


def _open_data_has_no_person(client, ids: list[str]) -> None:
    """Every export parses as CSV and JSON, and none holds a national ID or a person's full name."""
    names = {f"{first} {last}" for first, last in Person.objects.values_list("first_name", "last_name")}
    for dataset in ("funds", "subdistricts", "provinces"):
        text = client.get(reverse("open_data:dataset", args=[dataset, "csv"])).content.decode("utf-8-sig")
        rows = list(csv.DictReader(io.StringIO(text)))
        data = client.get(reverse("open_data:dataset", args=[dataset, "json"])).json()
        assert rows and len(rows) == len(data["rows"])
        blob = text + json.dumps(data, ensure_ascii=False)
        assert not [i for i in ids if i in blob]
        assert not [n for n in names if n in blob]


def test_seed_calibration_at_a_small_scale(django_capture_on_commit_callbacks):
    _check(SEED, 0.0004, django_capture_on_commit_callbacks)


def test_another_calibration_file(django_capture_on_commit_callbacks, client):
    ids = _check(SMALL, 1.0, django_capture_on_commit_callbacks)
    _open_data_has_no_person(client, ids)


def test_a_big_run_rebuilds_the_summaries_in_one_pass(monkeypatch):
    """A run that built most of the database's funds rebuilds every summary from the records (no funds are left
    pending, and the rows equal a recomputation) instead of refreshing fund after fund."""
    from chumchon.insights.management.commands import synth as command
    from chumchon.insights.models import AreaSummary

    monkeypatch.setattr(command, "REBUILD_FROM", 0)
    out = io.StringIO()
    call_command("synth", "--config", str(SMALL), "--scale", "1.0", "--force", stdout=out)  # no commit hooks
    assert "area summaries rebuilt" in out.getvalue()
    assert AreaSummary.objects.filter(level="nation").exists()
    assert summaries.differences() == []


def test_split_is_exact_and_proportional():
    assert split(10, [1, 1, 1]) == [4, 3, 3] or sorted(split(10, [1, 1, 1])) == [3, 3, 4]
    assert sum(split(6487620, [0.3, 1.2, 0.7])) == 6487620


def test_scaled_targets_round_half_up():
    cal = Calibration.load(SEED)
    t = cal.scaled(0.01)
    assert t["funds"] == 59 and t["members"] == 64876 and t["fund_money"] == Decimal(190622700)
    assert t["payouts"] == Decimal(23999500) and t["matching_money"] == Decimal(1827300)


def test_council_targets_scale_and_refuse_contradictions():
    seed = CouncilTargets.from_config(Calibration.load(SEED).councils, 0.01)
    assert (seed.local_administrations, seed.councils, seed.members, seed.organisations) == (78, 78, 2549, 1563)
    assert seed.grades == {"A": 10, "B": 11, "C": 5, "D": 13} and seed.assessed == 39
    assert CouncilTargets.from_config(Calibration.load(SEED).councils, 1).assessed == 3885
    assert CouncilTargets.from_config({}, 1) is None
    base = {"local_administrations": 5, "councils": 5, "members": 40, "organisations": 0}
    for bad, field in [({"councils": 6}, "councils"), ({"members": 19}, "members"),
                       ({"grades": {"A": 6}}, "grades"), ({"assessed": 2, "grades": {"A": 1}}, "assessed")]:
        with pytest.raises(CouncilTargetError, match=field):
            CouncilTargets.from_config(base | bad, 1)


def test_contradictory_targets_are_refused(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text(SMALL.read_text().replace("matched_funds = 2", "matched_funds = 9"))
    with pytest.raises(SynthError, match="matched_funds"):
        from chumchon.insights.synth import Generator

        Generator(Calibration.load(bad), 1.0).plan()


def test_funds_fill_every_free_subdistrict_before_refusing(tmp_path):
    """The funds are dealt to the provinces in turn; a province that runs out of subdistricts leaves the round, so
    a country may have a fund in every subdistrict (at scale 1.0 the seed's funds fill most small provinces)."""
    from chumchon.geo.models import Subdistrict
    from chumchon.insights.synth import Generator

    free = Subdistrict.objects.count()
    assert free > 1000  # the whole country is loaded by the migrations
    config = tmp_path / "full.toml"
    text = SMALL.read_text().replace("funds = 3", f"funds = {free}")
    text = text.replace("members = 240", f"members = {20 * free + 20}")
    config.write_text(text.replace("recipients = 45", "recipients = 0").replace('payouts = "54321"', 'payouts = "0"'))
    with pytest.raises(SynthError, match="matched_members"):  # 150 matched members, two funds of about 20
        Generator(Calibration.load(config), 1.0).plan()
    text = text.replace("matched_members = 150", "matched_members = 30")
    config.write_text(text.replace("recipients = 45", "recipients = 0").replace('payouts = "54321"', 'payouts = "0"'))
    plans = Generator(Calibration.load(config), 1.0).plan()
    assert len({p.subdistrict.code for p in plans}) == free
    config.write_text(text.replace(f"funds = {free}", f"funds = {free + 1}"))
    with pytest.raises(SynthError, match="subdistricts"):
        Generator(Calibration.load(config), 1.0).plan()


@pytest.mark.slow
def test_workers_build_the_same_calibrated_country_on_postgresql(tmp_path):
    """`synth --workers 2` in a throwaway PostgreSQL database of its own (workers need committed rows): the report
    gives the calibration's figures, the books verify, and the whole report equals that of a one-process build in
    another database (every fund and council draws from its own random generator)."""
    import os
    import subprocess
    import sys
    import uuid

    import psycopg
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("several workers need PostgreSQL")
    settings = connection.settings_dict
    names = [f"synth_workers_{uuid.uuid4().hex[:8]}", f"synth_single_{uuid.uuid4().hex[:8]}"]
    server = {"host": settings["HOST"] or "127.0.0.1", "port": settings["PORT"] or 5432, "user": settings["USER"],
              "password": settings["PASSWORD"] or None}
    with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
        for name in names:
            admin.execute(f'CREATE DATABASE "{name}"')
    try:
        password = f":{server['password']}" if server["password"] else ""
        cli = [str(Path(sys.executable).parent / "chumchon")]

        def run(name: str, *args: str) -> str:
            env = {k: v for k, v in os.environ.items() if k != "CHUMCHON_TESTING"}
            env.update(DATABASE_URL=f"postgres://{server['user']}{password}@{server['host']}:{server['port']}/{name}",
                       DJANGO_SETTINGS_MODULE="chumchon.config.settings", CHUMCHON_VAR_DIR=str(tmp_path), DEBUG="1")
            done = subprocess.run([*cli, *args], env=env, capture_output=True, text=True, timeout=900)
            assert done.returncode == 0, done.stderr[-3000:]
            return done.stdout

        calibration = Calibration.load(SMALL)
        reports = []
        for name, workers in zip(names, ("2", "1"), strict=True):
            run(name, "migrate", "-v0")
            out = run(name, "synth", "--config", str(SMALL), "--scale", "1", "--workers", workers, "--force")
            if workers == "2":  # funds and councils both built by the two workers
                assert "[1/2]" in out and "[2/2]" in out and "[2/2] 2/2 councils" in out, out
            run(name, "ledger_verify")
            reports.append(json.loads(run(name, "annual-report", "--fiscal-year", str(calibration.fiscal_year),
                                          "--format", "json"))["figures"])
        figures = reports[0]
        for target, expected in calibration.scaled(1.0).items():
            assert Decimal(str(figures[FIGURE_OF_TARGET[target]]["value"])) == Decimal(expected), target
        _assert_council_figures(figures, calibration, 1.0)
        assert {k: v["value"] for k, v in reports[0].items()} == {k: v["value"] for k, v in reports[1].items()}
    finally:
        with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
            for name in names:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_workers_need_postgresql_outside_a_transaction():
    from chumchon.insights.synth import Generator

    with pytest.raises(SynthError, match="workers"):  # SQLite: one writer; PostgreSQL: the test is a transaction
        Generator(Calibration.load(SMALL), 1.0).run(workers=2)
