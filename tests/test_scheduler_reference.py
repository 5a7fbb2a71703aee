"""lrm's scheduler against the naive oracle in tests/reference_scheduler.py.

Small random databases (a few contacts; interactions of every kind, initiator and age,
shared by several people; explicit cadences; tag cadences, 1 day included; snoozes;
archives; several zones, days and [scheduler] settings) are loaded through
``lrm import json``, then ``lrm due``, ``balance``, ``drift``, ``digest`` and ``show``
(all ``--json``) must say what the oracle computes from the raw rows. Boundary cases
(|balance| exactly at the threshold, cadence 1, ties, due exactly today, two tag cadences,
the edges of the windows) have tests of their own, and metamorphic properties check lrm
against itself: swapping every initiator negates the balance, logging never moves a fixed
rhythm later, snoozed and archived contacts are never due.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime, timedelta
from fractions import Fraction
from itertools import pairwise
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import reference_scheduler as ref
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from reference_scheduler import Contact, Interaction, World

TODAY = date(2026, 11, 29)  # conftest's LRM_TODAY
ZONES = ["Europe/London", "America/St_Johns", "Pacific/Apia", "Australia/Lord_Howe", "UTC"]
DAYS = [TODAY, date(2026, 3, 29), date(2026, 10, 25), date(2027, 1, 1), date(2028, 2, 29)]
NAMES = ["Ada", "ada", "Bob", "Zoë", "Émile", "Ada"]  # "Ada" twice: ties broken by id
TAGS = ("family", "friends")
# ages (days) on the edges of the windows: counts 0..365, drift 0..179 and 180..544
EDGE_AGES = [0, 1, 179, 180, 181, 364, 365, 366, 543, 544, 545]
PROPERTY = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
DIGEST = {"due_limit": 100, "drift_limit": 100, "one_sided_limit": 100, "losing_touch_limit": 100}
LOSING_DAYS = 180  # [digest] losing_touch_days: the default
ONE_SIDED_MIN = 3  # [digest] one_sided_min_interactions, set explicitly below


# --- loading a world into lrm -----------------------------------------------------------------


def local_ts(day: date, seconds: int, zone: str) -> int:
    """Epoch seconds of ``seconds`` after the local midnight starting ``day``."""
    midnight = datetime(day.year, day.month, day.day, tzinfo=ZoneInfo(zone))
    return int(midnight.timestamp()) + seconds


def document(world: World) -> dict[str, Any]:
    """The world as an ``lrm import json`` document (docs/json.md)."""

    def iso(ts: int) -> str:
        return datetime.fromtimestamp(ts, ZoneInfo("UTC")).isoformat()

    return {
        "format": "lrm",
        "schema": "0001",  # any revision up to lrm's own is accepted
        "tags": [{"name": t, "cadence_days": c} for t, c in world.tag_cadences.items()],
        "contacts": [
            {
                "id": c.id,
                "uid": f"contact-{c.id}",
                "name": c.name,
                "cadence_days": c.cadence_days,
                "snoozed_until": c.snoozed_until.isoformat() if c.snoozed_until else None,
                "archived_at": iso(c.created_at) if c.archived else None,
                "created_at": iso(c.created_at),
                "updated_at": iso(c.created_at),
                "tags": list(c.tags),
            }
            for c in world.contacts
        ],
        "interactions": [
            {
                "id": n,
                "uid": f"interaction-{n}",
                "occurred_at": iso(i.occurred_at),
                "kind": i.kind,
                "initiator": i.initiator,
                "weight": i.weight,
                "created_at": iso(i.occurred_at),
                "participants": [f"contact-{p}" for p in i.participants],
            }
            for n, i in enumerate(world.interactions, start=1)
        ],
    }


def write_config(world: World) -> None:
    """The zone, the digest's limits and the world's [scheduler] settings in the config
    file every lrm invocation of this test reads ($LRM_CONFIG, set by conftest)."""
    lines = [f'timezone = "{world.zone}"', "[digest]"]
    lines += [f"{k} = {v}" for k, v in DIGEST.items()]
    lines += [f"one_sided_min_interactions = {ONE_SIDED_MIN}", "[scheduler]"]
    lines += [f"{k} = {v!r}" for k, v in world.settings.items()]
    Path(os.environ["LRM_CONFIG"]).write_text("\n".join(lines) + "\n", "utf-8")


class Loaded:
    """One world's database, and lrm run on it (in-process) on the world's day."""

    def __init__(self, lrm: Callable, template_db: Path, world: World) -> None:
        self.lrm = lrm
        self.world = world
        self.folder = Path(tempfile.mkdtemp(prefix="oracle-"))
        self.db = self.folder / "lrm.sqlite3"
        shutil.copyfile(template_db, self.db)
        self.db.chmod(0o600)
        write_config(world)
        source = self.folder / "world.json"
        source.write_text(json.dumps(document(world)), "utf-8")
        self.ok("import", "json", str(source))

    def ok(self, *args: str) -> Any:
        result = self.lrm("--db", str(self.db), "--today", self.world.today.isoformat(), *args)
        assert result.exit_code == 0, (args, result.stdout, result.stderr)
        return result

    def json(self, *args: str) -> Any:
        return self.ok(*args, "--json").json()

    def close(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


@pytest.fixture
def load(lrm, template_db):
    """``load(world)`` -> Loaded; every database made is removed after the test."""
    made: list[Loaded] = []

    def make(world: World) -> Loaded:
        made.append(Loaded(lrm, template_db, world))
        return made[-1]

    yield make
    for loaded in made:
        loaded.close()


# --- comparing --------------------------------------------------------------------------------


def certain_magnitude(b: ref.Balance) -> Fraction | None:
    """|balance| when any correct float computation gives it exactly: 1 when every
    interaction has the same non-mutual side, 0 when all are mutual (or none)."""
    if b.value is None:
        return Fraction(0)
    if b.exact is not None and abs(b.exact) in (0, 1):
        return abs(b.exact)
    return None


def assert_balance_item(shown: dict, item: ref.BalanceItem) -> None:
    assert shown["id"] == item.id and shown["name"] == item.name
    assert shown["balance"] in item.balance.shown(), (shown, item)
    assert shown["label"] in item.balance.labels(), (shown, item)
    counts = item.counts
    assert (shown["initiated_by_me"], shown["initiated_by_them"], shown["mutual"]) == (
        counts.me,
        counts.them,
        counts.mutual,
    ), (shown, item)


def assert_one_sided_order(shown: list[dict], oracle: dict[int, ref.BalanceItem]) -> None:
    """Most one-sided first, then name, then id; two balances within float noise of each
    other may come in either order unless both are exact."""
    for a, b in pairwise(shown):
        x, y = oracle[a["id"]].balance, oracle[b["id"]].balance
        if x.magnitude() > y.magnitude() + 1e-9:
            continue
        assert x.magnitude() >= y.magnitude() - 1e-9, ("order", a, b)
        cx, cy = certain_magnitude(x), certain_magnitude(y)
        if cx is not None and cx == cy:
            assert (a["name"], a["id"]) < (b["name"], b["id"]), ("tie order", a, b)


def assert_balances(shown: list[dict], world: World) -> None:
    oracle = {b.id: b for b in ref.balances(world)}
    assert sorted(s["id"] for s in shown) == sorted(oracle), (shown, oracle)
    for s in shown:
        assert_balance_item(s, oracle[s["id"]])
    assert_one_sided_order(shown, oracle)


def listed(items: list[dict]) -> list[dict]:
    """The digest's items as the list commands': without ``last_topic``, which each
    carries (its rule is checked against its own reference in test_digest_topics.py)."""
    assert all("last_topic" in i for i in items)
    return [{k: v for k, v in i.items() if k != "last_topic"} for i in items]


def assert_one_sided(shown: list[dict], world: World) -> None:
    """The digest's list: everyone surely one-sided, nobody surely balanced."""
    limit = DIGEST["one_sided_limit"]
    candidates = {
        b.id: b for b in ref.one_sided(world, min_interactions=ONE_SIDED_MIN, limit=limit)
    }
    sure = {i for i, b in candidates.items() if "balanced" not in b.balance.labels()}
    ids = [s["id"] for s in shown]
    assert sure <= set(ids) <= set(candidates), (shown, candidates)
    for s in shown:
        assert_balance_item(s, candidates[s["id"]])
        assert s["label"] != "balanced"
    assert_one_sided_order(shown, candidates)


def due_json(world: World, within: int) -> list[dict]:
    return [d.as_json() for d in ref.due(world, within)]


def losing_json(world: World, days: int) -> list[dict]:
    return [i.as_json() for i in ref.losing_touch(world, days)]


def drift_json(world: World, awake: bool = False) -> list[dict]:
    return [d.as_json(world) for d in ref.drift(world, awake=awake)]


def assert_never_due_when_snoozed_or_archived(shown: list[dict], world: World) -> None:
    for item in shown:
        contact = world.contact(item["id"])
        assert not contact.archived, item
        assert contact.snoozed_until is None or contact.snoozed_until <= world.today, item


# --- random worlds ----------------------------------------------------------------------------

SETTINGS = st.fixed_dictionaries(
    {},
    optional={
        "half_life_days": st.sampled_from([30.0, 90.5, 365.0]),
        "balanced_threshold": st.sampled_from([0.25, 0.5]),
        "window_days": st.sampled_from([30, 100]),
        "inferred_min_interactions": st.sampled_from([2, 3]),
        "inferred_sample": st.sampled_from([3, 5]),
        "inferred_min_days": st.sampled_from([1, 3]),
        "inferred_max_days": st.sampled_from([20, 400]),
        "drift_recent_days": st.sampled_from([30, 90]),
        "drift_min_previous": st.sampled_from([1, 2]),
    },
)


SAME_DAY_BAND = {
    # seconds after local midnight at which the local day is the UTC day (plus a constant
    # for Apia), summer time and 23-hour days included (checked over 2023-2029)
    "Europe/London": (3600, 82800),
    "America/St_Johns": (0, 72000),
    "Pacific/Apia": (0, 43201),
    "Australia/Lord_Howe": (39600, 82800),
    "UTC": (0, 86400),
}
"""lrm infers cadences from UTC days, not local ones
(test_an_inferred_cadence_counts_local_days holds it to the rule). Interactions of people
whose cadence is inferred happen within these hours in the random worlds, so that the
worlds stay a safety net for other changes; everyone else's happen at any time of day."""


@st.composite
def worlds(draw: st.DrawFn, *, max_contacts: int = 5, max_interactions: int = 18) -> World:
    today = draw(st.sampled_from(DAYS))
    zone = draw(st.sampled_from(ZONES))
    custom = draw(st.booleans()) and draw(st.integers(0, 2)) == 0  # a third of examples
    chosen = draw(SETTINGS) if custom else {}
    tag_cadences = {t: draw(st.sampled_from([None, 1, 3, 7, 14, 30])) for t in TAGS}
    seconds = st.one_of(st.sampled_from([0, 1, 43200, 86399]), st.integers(0, 86399))

    def moment(age: int, same_day: bool = False) -> int:
        second = draw(seconds)
        if same_day:
            low, high = SAME_DAY_BAND[zone]
            second = low + second % (high - low)
        return local_ts(today - timedelta(days=age), second, zone)

    contacts = []
    for cid in range(1, draw(st.integers(1, max_contacts)) + 1):
        snooze = draw(st.none() | st.integers(-3, 10))
        contacts.append(
            Contact(
                id=cid,
                name=draw(st.sampled_from(NAMES)),
                created_at=moment(draw(st.sampled_from(EDGE_AGES) | st.integers(0, 800))),
                cadence_days=draw(st.sampled_from([None] * 6 + [1, 2, 7, 30, 90, 365])),
                tags=draw(st.sampled_from([(), TAGS[:1], TAGS[1:], TAGS, TAGS[::-1]])),
                snoozed_until=None if snooze is None else today + timedelta(days=snooze),
                archived=draw(st.integers(0, 6)) == 0,
            )
        )
    ids = [c.id for c in contacts]
    inferred = {
        c.id
        for c in contacts
        if c.cadence_days is None and all(tag_cadences[t] is None for t in c.tags)
    }
    instants = [moment(draw(st.integers(0, 400)), True) for _ in range(2)]  # shared
    interactions = []
    for _ in range(draw(st.integers(0, max_interactions))):
        people = tuple(draw(st.lists(st.sampled_from(ids), min_size=1, max_size=3, unique=True)))
        age = draw(st.sampled_from(EDGE_AGES) | st.integers(0, 700))
        when = moment(age, same_day=bool(inferred & set(people)))
        if draw(st.integers(0, 5)) == 0:
            when = draw(st.sampled_from(instants))
        interactions.append(
            Interaction(
                occurred_at=when,
                kind=draw(st.sampled_from(ref.KINDS)),
                initiator=draw(st.sampled_from(ref.INITIATORS)),
                participants=people,
                weight=draw(st.sampled_from([None, None, None, 0.25, 1.5, 3.0])),
            )
        )
    return World(tuple(contacts), tuple(interactions), tag_cadences, today, zone, chosen)


# --- the oracle against lrm -------------------------------------------------------------------


@PROPERTY
@given(
    world=worlds(),
    within=st.sampled_from([0, 1, 7]),
    pick=st.integers(0, 10),
    span=st.sampled_from([0, 1, 179, 180, 365, 600]),
)
def test_lrm_agrees_with_the_oracle(load, world: World, within: int, pick: int, span: int) -> None:
    db = load(world)
    tracked = db.json("due", "--within", "400d")  # everyone with a cadence: all fall due by then
    assert tracked == due_json(world, 400)
    assert_never_due_when_snoozed_or_archived(tracked, world)
    assert db.json("due", "--within", f"{within}d") == due_json(world, within)

    assert_balances(db.json("balance"), world)
    assert db.json("drift") == drift_json(world)

    digest = db.json("digest")
    base_keys = set(ref.DueItem.__dataclass_fields__)
    assert [{k: d[k] for k in base_keys} for d in digest["due"]] == due_json(world, 0)
    assert digest["totals"]["due"] == len(digest["due"])
    # the digest's nudges leave out whoever is snoozed; lrm drift and balance do not
    assert listed(digest["drifting"]) == drift_json(world, awake=True)
    assert digest["totals"]["drifting"] == len(digest["drifting"])
    assert_one_sided(digest["one_sided"], world)
    everyone = ref.one_sided(world, min_interactions=ONE_SIDED_MIN, limit=None)
    sure = [b for b in everyone if "balanced" not in b.balance.labels()]
    limit = DIGEST["one_sided_limit"]
    assert digest["totals"]["one_sided_more"] in ({len(sure) > limit, len(everyone) > limit})
    assert listed(digest["losing_touch"]) == losing_json(world, LOSING_DAYS)
    assert digest["totals"]["losing_touch"] == len(digest["losing_touch"])
    assert db.json("losing-touch", "--days", str(span)) == losing_json(world, span)

    contact = world.contacts[pick % len(world.contacts)]
    show = db.json("show", str(contact.id))
    assert_show(show, world, contact)


def assert_show(show: dict, world: World, contact: Contact) -> None:
    cadence = ref.cadence(world, contact)
    expected_cadence = None
    if cadence is not None:
        expected_cadence = {
            "days": cadence.days,
            "source": cadence.source,
            "tag": cadence.tag,
            "inferred_from": cadence.inferred_from,
        }
    assert show["cadence"] == expected_cadence
    status = ref.due_status(world, contact)
    assert show["due"] == (None if status is None else status.as_json())
    snoozed = None
    if ref.is_snoozed(world, contact):
        assert contact.snoozed_until is not None
        until = contact.snoozed_until
        snoozed = {"until": until.isoformat(), "days_left": (until - world.today).days}
    assert show["snoozed"] == snoozed
    assert_balance_item(show["balance"], ref.balance_item(world, contact))


# --- metamorphic properties -------------------------------------------------------------------


@settings(PROPERTY, max_examples=30)
@given(world=worlds())
def test_swapping_every_initiator_negates_the_balance(load, world: World) -> None:
    mirrored = replace(world, interactions=ref.swap_initiators(world.interactions))
    before = load(world).json("balance")
    after = load(mirrored).json("balance")
    flip = {"you_give_more": "they_give_more", "they_give_more": "you_give_more"}
    assert [b["id"] for b in after] == [b["id"] for b in before]  # same |balance|, same order
    for a, b in zip(before, after, strict=True):
        if a["balance"] is None:
            assert b["balance"] is None and b["label"] is None
            continue
        assert abs(a["balance"] + b["balance"]) <= 0.001 + 1e-12  # half up is not symmetric
        assert b["label"] == flip.get(a["label"], a["label"])
        assert (b["initiated_by_me"], b["initiated_by_them"], b["mutual"]) == (
            a["initiated_by_them"],
            a["initiated_by_me"],
            a["mutual"],
        )
    assert_balances(after, mirrored)


@settings(PROPERTY, max_examples=30)
@given(
    world=worlds(max_interactions=10),
    who=st.lists(st.integers(1, 5), min_size=1, max_size=3, unique=True),
    kind=st.sampled_from(ref.KINDS),
    initiator=st.sampled_from(ref.INITIATORS),
)
def test_logging_today_never_makes_a_fixed_rhythm_more_overdue(
    load, world: World, who: list[int], kind: str, initiator: str
) -> None:
    """With an explicit or tag cadence, logging an interaction today never increases
    anyone's overdue days (the people in it restart their rhythm: overdue = -cadence).
    An inferred cadence may shrink with the new gap, so there it can: see
    test_logging_can_make_an_inferred_rhythm_more_overdue."""
    participants = tuple(sorted({p for p in who if p <= len(world.contacts)} or {1}))
    db = load(world)
    before = {d["id"]: d for d in db.json("due", "--within", "400d")}
    db.ok("log", *map(str, participants), "--kind", kind, "--initiator", initiator)
    after = {d["id"]: d for d in db.json("due", "--within", "400d")}

    logged = Interaction(world.noon_today(), kind, initiator, participants)
    later = replace(world, interactions=(*world.interactions, logged))
    assert list(after.values()) == due_json(later, 400)
    for cid, item in after.items():
        ahead = any(world.local_day(i.occurred_at) > world.today for i in world.history(cid))
        if cid in participants and not ahead:  # one logged ahead (--future) stays the last
            assert item["overdue_days"] == -item["cadence_days"]
        if cid not in before:
            assert item["overdue_days"] < 0  # newly tracked: its rhythm starts today
            continue
        was = before[cid]
        if item["cadence_source"] != "inferred" and was["cadence_source"] != "inferred":
            assert item["overdue_days"] <= was["overdue_days"], (was, item)
        if cid not in participants:
            assert item == was
    assert_never_due_when_snoozed_or_archived(list(after.values()), later)


# --- boundaries, one at a time ----------------------------------------------------------------


def person(cid: int, name: str, *, created_age: int = 400, **fields: Any) -> Contact:
    return Contact(
        cid, name, local_ts(TODAY - timedelta(days=created_age), 43200, "Europe/London"), **fields
    )


def at(
    age: int, kind: str, initiator: str, *people: int, seconds: int = 43200, **kw
) -> Interaction:
    when = local_ts(TODAY - timedelta(days=age), seconds, "Europe/London")
    return Interaction(when, kind, initiator, people, **kw)


def world_of(contacts, interactions=(), tags=None) -> World:
    return World(tuple(contacts), tuple(interactions), tags or {}, TODAY)


@pytest.mark.parametrize(
    ("rows", "value"),
    [
        # (s*w summed) / (w summed), every interaction at one instant: no decay difference
        ([("call", "me")] + [("call", "mutual")] * 4, 0.2),  # 1 / 5
        ([("call", "me")] * 3 + [("call", "them")] * 2, 0.2),  # (3 - 2) / 5
        ([("favor", "me"), ("call", "them"), ("gift", "mutual")], 0.2),  # (2 - 1) / 5
        ([("message", "them")] + [("email", "mutual")] * 4, -0.2),  # -0.5 / 2.5
        ([("call", "them")] * 3 + [("call", "me")] * 2, -0.2),
    ],
)
@pytest.mark.parametrize("age", [0, 1000])
def test_a_balance_of_exactly_the_threshold_is_not_balanced(load, rows, value, age) -> None:
    """DESIGN §3: |balance| < 0.2 is balanced, so exactly 0.2 is not."""
    one = [at(age, kind, who, 1, seconds=36000) for kind, who in rows]
    world = world_of([person(1, "Ada", created_age=1200)], one)
    shown = load(world).json("balance")
    label = "you_give_more" if value > 0 else "they_give_more"
    assert ref.balance(world, 1).labels() == {label}
    assert [(b["balance"], b["label"]) for b in shown] == [(value, label)]


def test_a_balance_logged_at_the_threshold_is_not_balanced(lrm) -> None:
    """The same through `lrm log`, everything logged now."""
    lrm("add", "Ada Lovelace")
    for initiator in ("me", "me", "me", "them", "them"):
        assert lrm("log", "Ada", "--kind", "call", "--initiator", initiator).exit_code == 0
    (item,) = lrm("balance", "--json").json()
    assert (item["balance"], item["label"]) == (0.2, "you_give_more")
    assert lrm("show", "Ada", "--json").json()["balance"]["label"] == "you_give_more"


def test_the_readme_worked_example(lrm) -> None:
    """README's digest: every 30 days, explicit; last contact 2026-10-20, a call they
    started; on 2026-11-29 that is 10 days overdue (due 2026-11-19), urgency 40/30."""
    lrm("add", "Ada Lovelace", "--cadence", "30d")
    lrm("log", "Ada", "--kind", "call", "--initiator", "them", "--when", "2026-10-20")
    world = world_of(
        [person(1, "Ada Lovelace", created_age=0, cadence_days=30)],
        [Interaction(local_ts(date(2026, 10, 20), 43200, "Europe/London"), "call", "them", (1,))],
    )
    expected = {
        "id": 1,
        "name": "Ada Lovelace",
        "last_contact": "2026-10-20",
        "cadence_days": 30,
        "cadence_source": "explicit",
        "due_on": "2026-11-19",
        "overdue_days": 10,
        "urgency": 1.333,
    }
    assert lrm("due", "--json").json() == [expected] == due_json(world, 0)
    (balance,) = lrm("balance", "--json").json()
    assert (balance["balance"], balance["label"], balance["initiated_by_them"]) == (
        -1.0,
        "they_give_more",
        1,
    )


def test_cadence_of_one_day(load) -> None:
    """Cadence 1, explicit or from a tag: due the day after the last contact, and overdue a
    day for every day after that; contacted today, due tomorrow."""
    contacts = [
        person(1, "Explicit", cadence_days=1),
        person(2, "Tagged", tags=("daily",)),
        person(3, "Today", cadence_days=1),
        person(4, "Never", cadence_days=1, created_age=3),
    ]
    rows = [at(1, "call", "me", 1), at(5, "call", "me", 2), at(0, "call", "me", 3)]
    world = world_of(contacts, rows, {"daily": 1})
    db = load(world)
    shown = db.json("due")
    assert shown == due_json(world, 0)
    assert [(d["name"], d["overdue_days"], d["urgency"]) for d in shown] == [
        ("Tagged", 4, 5.0),
        ("Never", 2, 3.0),
        ("Explicit", 0, 1.0),
    ]
    assert shown[0]["cadence_source"] == "tag"
    assert db.json("due", "--within", "1d")[-1]["name"] == "Today"
    assert db.json("show", "3")["due"]["overdue_days"] == -1


def test_ties_in_urgency_go_by_overdue_days_then_name_then_id(load) -> None:
    """Urgency 2.0 for all: the one overdue longer first; then by name in code-point order
    ("Bob" < "Zed" < "bob"), then by id for the same name."""
    contacts = [
        person(1, "bob", cadence_days=10),
        person(2, "Zed", cadence_days=10),
        person(3, "Bob", cadence_days=10),
        person(4, "Bob", cadence_days=10),
        person(5, "Yan", cadence_days=5),  # urgency 10/5 = 2.0 but 5 days overdue
        person(6, "Amy", cadence_days=30),  # urgency 60/30 = 2.0, 30 days overdue
    ]
    ages = {1: 20, 2: 20, 3: 20, 4: 20, 5: 10, 6: 60}
    world = world_of(contacts, [at(age, "call", "me", cid) for cid, age in ages.items()])
    shown = load(world).json("due")
    assert shown == due_json(world, 0)
    assert [(d["id"], d["urgency"]) for d in shown] == [
        (6, 2.0),
        (3, 2.0),
        (4, 2.0),
        (2, 2.0),
        (1, 2.0),
        (5, 2.0),
    ]


def test_urgency_rounds_half_up_and_ties_on_what_is_shown(load) -> None:
    """1/2000 above 1.000 and 1.0005 exactly are both shown 1.001 (half up; the ranking
    goes by the shown value, then overdue days)."""
    contacts = [
        person(1, "Ada", cadence_days=2000),  # 2001/2000 = 1.0005 -> 1.001, overdue 1
        person(2, "Bob", cadence_days=1000),  # 1001/1000 = 1.001, overdue 1
        person(3, "Cy", cadence_days=400),  # 400.4/400 would be; 401/400 = 1.0025 -> 1.003
    ]
    world = world_of(
        contacts, [at(2001, "call", "me", 1), at(1001, "call", "me", 2), at(401, "call", "me", 3)]
    )
    shown = load(world).json("due")
    assert shown == due_json(world, 0)
    assert [(d["id"], d["urgency"]) for d in shown] == [(3, 1.003), (1, 1.001), (2, 1.001)]


def test_due_exactly_today_and_within(load) -> None:
    contacts = [
        person(1, "Today", cadence_days=7),
        person(2, "Tomorrow", cadence_days=7),
        person(3, "Added", cadence_days=7, created_age=7),  # no interaction: since creation
    ]
    world = world_of(contacts, [at(7, "call", "me", 1), at(6, "call", "me", 2)])
    db = load(world)
    today = db.json("due")
    assert today == due_json(world, 0)
    assert [(d["name"], d["overdue_days"], d["due_on"]) for d in today] == [
        ("Added", 0, TODAY.isoformat()),
        ("Today", 0, TODAY.isoformat()),
    ]
    assert today[0]["last_contact"] is None
    within = db.json("due", "--within", "1d")
    assert within == due_json(world, 1)
    assert within[-1]["name"] == "Tomorrow" and within[-1]["overdue_days"] == -1


def test_the_smallest_of_two_tag_cadences_wins(load) -> None:
    tags = {"family": 14, "friends": 7, "work": None, "club": 7}
    contacts = [
        person(1, "Two", tags=("family", "friends")),
        person(2, "Tie", tags=("friends", "club")),  # same cadence: the tag first by name
        person(3, "Own", tags=("friends",), cadence_days=30),  # explicit beats tags
        person(4, "None", tags=("work",)),  # a tag without cadence: not tracked
    ]
    world = world_of(contacts, [at(10, "call", "me", 1, 2, 3, 4)], tags)
    db = load(world)
    assert db.json("due", "--within", "400d") == due_json(world, 400)
    for contact, cadence in zip(
        contacts,
        [(7, "tag", "friends"), (7, "tag", "club"), (30, "explicit", None), None],
        strict=True,
    ):
        shown = db.json("show", str(contact.id))["cadence"]
        expected = ref.cadence(world, contact)
        assert shown == (None if expected is None else {
            "days": expected.days, "source": expected.source, "tag": expected.tag,
            "inferred_from": expected.inferred_from,
        })  # fmt: skip
        assert (
            None if shown is None else (shown["days"], shown["source"], shown["tag"])
        ) == cadence


def test_the_edges_of_the_windows(load) -> None:
    """Counts: ages 0..365 days (the oldest day included). Drift: the last 180 days
    (ages 0..179) against the 365 before (ages 180..544)."""
    ages = [0, 179, 180, 364, 365, 366, 544, 545]
    rows = [at(age, "call", "them", 1, seconds=s) for age in ages for s in (60, 86340)]
    rows += [at(age, "call", "me", 2) for age in (180, 300, 400, 544, 545)]
    world = world_of([person(1, "Ada", created_age=900), person(2, "Bob", created_age=900)], rows)
    db = load(world)
    (ada,) = [b for b in db.json("balance") if b["id"] == 1]
    assert ada["initiated_by_them"] == 10  # ages 0, 179, 180, 364, 365, twice a day
    assert_balances(db.json("balance"), world)
    drift = db.json("drift")
    assert drift == drift_json(world)
    assert [(d["id"], d["recent_count"], d["previous_count"]) for d in drift] == [(2, 0, 4)]
    assert ref.window_counts(world, 1) == (4, 10)  # Ada: ages 0 and 179 against 180..544


def test_snoozed_until_a_day_is_due_again_on_that_day(load) -> None:
    contact = person(1, "Ada", cadence_days=7, snoozed_until=TODAY + timedelta(days=1))
    world = world_of([contact], [at(30, "call", "me", 1)])
    db = load(world)
    assert db.json("due", "--within", "400d") == [] == due_json(world, 400)
    assert db.json("show", "1")["snoozed"] == {"until": "2026-11-30", "days_left": 1}
    tomorrow = replace(world, today=TODAY + timedelta(days=1))
    shown = db.ok("--today", "2026-11-30", "due", "--json").json()
    assert shown == due_json(tomorrow, 0) and shown[0]["overdue_days"] == 24


def test_archived_contacts_are_in_no_list(load) -> None:
    rows = [at(age, "gift", "me", 1) for age in (200, 250, 300, 350, 400)]
    world = world_of([person(1, "Ada", cadence_days=1, archived=True)], rows)
    db = load(world)
    assert db.json("due", "--within", "400d") == []
    assert db.json("balance") == [] and db.json("drift") == []
    digest = db.json("digest")
    assert digest["due"] == digest["drifting"] == digest["one_sided"] == []
    assert db.json("show", "1")["due"] is None
    assert ref.due(world, 400) == ref.balances(world) == ref.drift(world) == []


def test_logging_can_make_an_inferred_rhythm_more_overdue(load) -> None:
    """Days -60, -30, -29, -2: gaps 30, 1, 27, median 27, 25 days to go. Logged today, the
    gaps 30, 1, 27, 2 have the median 14.5 (rounded up: 15): 15 days to go, 10 fewer."""
    rows = [at(age, "call", "me", 1) for age in (60, 30, 29, 2)]
    world = world_of([person(1, "Ada")], rows)
    db = load(world)
    (before,) = db.json("due", "--within", "400d")
    assert (before["cadence_days"], before["overdue_days"]) == (27, -25)
    db.ok("log", "1", "--kind", "call")
    later = replace(
        world, interactions=(*rows, Interaction(world.noon_today(), "call", "mutual", (1,)))
    )
    (after,) = db.json("due", "--within", "400d")
    assert after == due_json(later, 400)[0]
    assert (after["cadence_days"], after["overdue_days"]) == (15, -15)


@pytest.mark.parametrize(
    ("zone", "local_times"),
    [
        # 00:30 summer time in London is 23:30 UTC the day before
        ("Europe/London", [(1, 1800), (11, 43200), (21, 43200)]),
        # 10:00 in Apia (UTC+13) is 21:00 UTC the day before; 20:00 is 07:00 the same day
        ("Pacific/Apia", [(1, 36000), (11, 72000), (21, 72000)]),
    ],
)
def test_an_inferred_cadence_counts_local_days(load, zone, local_times) -> None:
    """The median gap is taken between local days (DESIGN §2: times shown in the local
    zone; the scheduler counts calendar days): 1, 11 and 21 June are 10 days apart
    whatever the hour, though the first one falls on 31 May in UTC."""
    rows = tuple(
        Interaction(local_ts(date(2026, 6, day), s, zone), "call", "me", (1,))
        for day, s in local_times
    )
    created = local_ts(date(2026, 1, 1), 43200, zone)
    world = World((Contact(1, "Ada", created),), rows, {}, TODAY, zone)
    assert ref.cadence(world, world.contacts[0]) == ref.Cadence(10, "inferred", inferred_from=3)
    db = load(world)
    assert db.json("show", "1")["cadence"] == {
        "days": 10,
        "source": "inferred",
        "tag": None,
        "inferred_from": 3,
    }
    assert db.json("due") == due_json(world, 0)
    # the same history seen from UTC (a changed `timezone`): recomputed on the next read
    elsewhere = replace(world, zone="UTC")
    write_config(elsewhere)
    seen = ref.cadence(elsewhere, elsewhere.contacts[0])
    assert seen == ref.Cadence(11, "inferred", inferred_from=3)
    assert db.json("show", "1")["cadence"]["days"] == seen.days


def test_losing_touch_lists_only_the_untracked_past_the_span(load) -> None:
    """Issue 15: people without a cadence are invisible to `due`; more than 180 local days
    without contact (never contacted: since they were added) puts them on the list."""
    contacts = [
        person(1, "Added 181", created_age=181),
        person(2, "Added 180", created_age=180),  # exactly the span: not yet
        person(3, "Called 181", created_age=900),
        person(4, "Called 180", created_age=900),
        person(5, "Two calls", created_age=900),  # too few to infer a cadence
        person(6, "Three calls", created_age=900),  # an inferred cadence: `due` has them
        person(7, "Tagged", created_age=900, tags=("club",)),
        person(8, "Own cadence", created_age=900, cadence_days=365),
        person(9, "Snoozed", created_age=900, snoozed_until=TODAY + timedelta(days=1)),
        person(10, "Woken", created_age=900, snoozed_until=TODAY),  # snooze over today
        person(11, "Archived", created_age=900, archived=True),
        # 00:30 in London's summer is 23:30 UTC the day before: local days count
        person(12, "Midnight 181", created_age=900),
        person(13, "Midnight 180", created_age=900),
    ]
    rows = [
        at(181, "call", "me", 3),
        at(180, "call", "me", 4),
        at(400, "call", "me", 5),
        at(300, "call", "them", 5),
        *(at(age, "call", "me", 6) for age in (500, 400, 300)),
        at(181, "call", "me", 12, seconds=1800),
        at(180, "call", "me", 13, seconds=1800),
    ]
    world = world_of(contacts, rows, {"club": 400})
    db = load(world)
    shown = db.json("losing-touch")
    assert shown == losing_json(world, 180)
    assert [(i["name"], i["days_since"], i["interactions"]) for i in shown] == [
        ("Woken", 900, 0),
        ("Two calls", 300, 2),
        ("Added 181", 181, 0),
        ("Called 181", 181, 1),
        ("Midnight 181", 181, 1),
    ]
    assert shown[2]["last_contact"] is None and shown[2]["added_on"] == "2026-06-01"
    assert shown[4]["last_contact"] == "2026-06-01"
    assert listed(db.json("digest")["losing_touch"]) == shown
    assert [i["name"] for i in db.json("losing-touch", "--days", "0")][-3:] == [
        "Added 180",
        "Called 180",
        "Midnight 180",
    ]


def test_losing_touch_ties_go_by_name_then_id(load) -> None:
    """The same day: by name in code-point order, then id (whatever the time of day)."""
    contacts = [person(1, "bob"), person(2, "Bob"), person(3, "Amy"), person(4, "Bob")]
    rows = [at(200, "call", "me", cid, seconds=s) for cid, s in ((1, 100), (2, 80000), (4, 50))]
    rows.append(at(200, "call", "me", 3, seconds=86000))
    world = world_of(contacts, rows)
    db = load(world)
    shown = db.json("losing-touch")
    assert shown == losing_json(world, 180)
    assert [i["id"] for i in shown] == [3, 2, 4, 1]
    for n in range(1, 6):  # the first n by day and name, not by the time of day
        assert db.json("losing-touch", "--limit", str(n)) == shown[:n]


@settings(PROPERTY, max_examples=20)
@given(world=worlds(max_interactions=10), who=st.integers(1, 5))
def test_logging_today_takes_someone_off_losing_touch(load, world: World, who: int) -> None:
    """Whoever is contacted today is not losing touch (whatever the span), and nobody
    else's entry changes, except those who gain an inferred cadence."""
    contact = world.contacts[(who - 1) % len(world.contacts)]
    db = load(world)
    before = {i["id"]: i for i in db.json("losing-touch", "--days", "0")}
    assert list(before.values()) == losing_json(world, 0)
    db.ok("log", str(contact.id), "--kind", "call")
    after = {i["id"]: i for i in db.json("losing-touch", "--days", "0")}
    assert contact.id not in after
    logged = Interaction(world.noon_today(), "call", "mutual", (contact.id,))
    later = replace(world, interactions=(*world.interactions, logged))
    assert list(after.values()) == losing_json(later, 0)
    assert {k: v for k, v in before.items() if k != contact.id} == after
