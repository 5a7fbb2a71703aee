"""The digest's next-step rules (lrm_cli/nextstep.py): each rule on its own, their order
(first match wins), the documented table, and how to reach someone."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lrm_cli import nextstep
from lrm_cli.nextstep import (
    RULE_NAMES,
    RULES,
    Coming,
    Facts,
    Last,
    Method,
    choose_reach,
    decide,
    next_step,
)
from lrm_cli.vocabulary import INTERACTION_KINDS

TODAY = date(2026, 11, 29)
ROOT = Path(__file__).parent.parent

# The priority order. Changing it is a change of behaviour: update the docstring table,
# README ("Who to reach out to"), docs/json.md and this line together.
ORDER = (
    "birthday_soon",
    "date_soon",
    "reminder_due",
    "they_reached_out",
    "your_turn",
    "one_sided",
    "first_contact",
    "long_gap",
    "keep_rhythm",
)


def facts(**changes) -> Facts:
    """Someone due with nothing special: a mutual call 40 days ago, 30-day cadence,
    balanced, nothing coming up (keep_rhythm)."""
    base = {
        "name": "Ada Lovelace",
        "cadence_days": 30,
        "days_since": 40,
        "last": Last(TODAY - timedelta(days=40), "call", "mutual", "Catch-up"),
        "balance": 0.05,
        "balance_label": "balanced",
        "interactions": 5,
        "coming_up": (),
    }
    base.update(changes)
    return Facts(**base)


def birthday(days: int, turns: int | None = None) -> Coming:
    return Coming(TODAY + timedelta(days=days), "birthday", "Ada Lovelace's birthday", days, turns)


def anniversary(days: int, label: str | None = "Wedding") -> Coming:
    title = f"Ada Lovelace: {label}" if label else "Ada Lovelace's anniversary"
    return Coming(TODAY + timedelta(days=days), "anniversary", title, days)


def reminder(days: int, rid: int = 4) -> Coming:
    return Coming(TODAY + timedelta(days=days), "reminder", "send the article", days, None, rid)


def by_them(kind: str = "call") -> Last:
    return Last(TODAY - timedelta(days=40), kind, "them")


# One example for each rule, with every rule before it failing.
EXAMPLES = {
    "birthday_soon": facts(coming_up=(birthday(3, 211),)),
    "date_soon": facts(coming_up=(anniversary(7),)),
    "reminder_due": facts(coming_up=(reminder(-2),)),
    "they_reached_out": facts(last=by_them()),
    "your_turn": facts(balance=-0.6, balance_label="they_give_more"),
    "one_sided": facts(balance=0.7, balance_label="you_give_more", interactions=3),
    "first_contact": facts(last=None, days_since=None, balance=None, balance_label=None),
    "long_gap": facts(days_since=60),
    "keep_rhythm": facts(),
}


def test_the_order_is_pinned():
    assert RULE_NAMES == ORDER
    assert [name for name, _ in RULES] == list(ORDER)


def test_the_docstring_table_lists_the_rules_in_order():
    rows = re.findall(r"^\| (\d) \| `(\w+)` \|", nextstep.__doc__ or "", re.MULTILINE)
    assert [name for _, name in rows] == list(ORDER)
    assert [int(n) for n, _ in rows] == list(range(1, len(ORDER) + 1))


def test_readme_and_json_doc_point_to_the_rules_in_order():
    for doc in (ROOT / "README.md", ROOT / "docs" / "json.md"):
        text = doc.read_text()
        assert "lrm_cli/nextstep.py" in text, doc
        positions = [text.find(f"`{name}`") for name in ORDER]
        assert -1 not in positions, (doc, positions)
        assert positions == sorted(positions), doc


@pytest.mark.parametrize("rule", ORDER)
def test_each_rule_applies_to_its_example(rule):
    step = decide(EXAMPLES[rule])
    assert step.rule == rule
    assert [c.rule for c in step.checked] == list(ORDER[: ORDER.index(rule) + 1])
    assert [c.applies for c in step.checked] == [False] * ORDER.index(rule) + [True]
    assert step.because == step.checked[-1].because and step.text
    assert next_step(EXAMPLES[rule]) == (step.rule, step.text)


@pytest.mark.parametrize(
    ("higher", "lower", "both"),
    [
        # a pair of rules that both apply: the earlier one wins
        ("birthday_soon", "date_soon", facts(coming_up=(anniversary(1), birthday(5)))),
        ("date_soon", "reminder_due", facts(coming_up=(reminder(0), anniversary(2)))),
        ("reminder_due", "they_reached_out", facts(coming_up=(reminder(1),), last=by_them())),
        (
            "they_reached_out",
            "your_turn",
            facts(last=by_them(), balance=-0.5, balance_label="they_give_more"),
        ),
        (
            "they_reached_out",
            "one_sided",
            facts(last=by_them(), balance=0.9, balance_label="you_give_more"),
        ),
        (
            "your_turn",
            "long_gap",
            facts(balance=-0.5, balance_label="they_give_more", days_since=90),
        ),
        ("one_sided", "keep_rhythm", facts(balance=0.9, balance_label="you_give_more")),
        (
            "birthday_soon",
            "first_contact",
            facts(last=None, days_since=None, coming_up=(birthday(0),)),
        ),
        ("first_contact", "keep_rhythm", facts(last=None, days_since=None)),
        ("long_gap", "keep_rhythm", facts(days_since=61)),
    ],
)
def test_the_earlier_rule_wins(higher, lower, both):
    rules = dict(RULES)
    assert rules[higher](both).applies and rules[lower](both).applies
    assert decide(both).rule == higher


@pytest.mark.parametrize("days_since", [59, 60, 545])
def test_after_a_long_gap_a_one_sided_relationship_gets_a_message_not_a_wait(days_since):
    """Holding back ("let them lead") after two cadences of silence lets it lapse."""
    f = facts(balance=1.0, balance_label="you_give_more", interactions=5, days_since=days_since)
    step = decide(f)
    if days_since < 2 * f.cadence_days:
        assert step.rule == "one_sided"
    else:
        assert step.rule == "long_gap"
        assert step.text.startswith("a short message")
        (one_sided,) = [c for c in step.checked if c.rule == "one_sided"]
        assert "too long to wait for them" in one_sided.because


@pytest.mark.parametrize(
    ("example", "expected"),
    [
        (facts(coming_up=(birthday(0, 40),)), "wish them a happy birthday today, they turn 40"),
        (facts(coming_up=(birthday(1),)), "send birthday wishes on 2026-11-30 (tomorrow)"),
        (
            facts(coming_up=(birthday(7, 30),)),
            "send birthday wishes on 2026-12-06 (in 7 days, they turn 30)",
        ),
        (
            facts(coming_up=(anniversary(2),)),
            "mark Wedding (anniversary) on 2026-12-01 (in 2 days)",
        ),
        (facts(coming_up=(anniversary(0, None),)), "mark their anniversary on 2026-11-29 (today)"),
        (
            facts(coming_up=(reminder(3, 12),)),
            "send the article (reminder #12, due 2026-12-02), then lrm done 12",
        ),
        (facts(last=by_them("gift")), "return the favour for their gift of 2026-10-20"),
        (facts(last=by_them("favor")), "return the favour for their favor of 2026-10-20"),
        (facts(last=by_them("meal")), "return the invitation: they set up the meal of 2026-10-20"),
        (facts(last=by_them("email")), "reply to their email of 2026-10-20"),
        (facts(last=by_them("message")), "reply to their message of 2026-10-20"),
        (  # a conversation is returned, not replied to
            facts(last=by_them("call")),
            "your turn to call: they started the call of 2026-10-20",
        ),
        (
            facts(last=by_them("video")),
            "your turn to call: they started the video call of 2026-10-20",
        ),
        (  # two cadences on, "reply to" their email of two months ago reads as a reproach
            facts(days_since=60, last=Last(TODAY - timedelta(days=60), "email", "them")),
            "your turn: they reached out last, an email on 2026-09-30",
        ),
        (  # a gift is still one to return
            facts(days_since=60, last=Last(TODAY - timedelta(days=60), "gift", "them")),
            "return the favour for their gift of 2026-09-30",
        ),
        (facts(last=by_them("other")), "reply: they reached out last, on 2026-10-20"),
        (  # within two cadences, but a message 61 days old is not waiting for a reply
            facts(
                cadence_days=180,
                days_since=61,
                last=Last(TODAY - timedelta(days=61), "message", "them"),
            ),
            "your turn: they reached out last, a message on 2026-09-29",
        ),
        (  # 60 days: still a reply
            facts(
                cadence_days=180,
                days_since=60,
                last=Last(TODAY - timedelta(days=60), "letter", "them"),
            ),
            "reply to their letter of 2026-09-30",
        ),
        (  # after two cadences, a call too
            facts(days_since=60, last=Last(TODAY - timedelta(days=60), "call", "them")),
            "your turn: they reached out last, a call on 2026-09-30",
        ),
        (  # a call is returned whatever its age, within two cadences
            facts(cadence_days=180, days_since=240, last=Last(date(2026, 4, 3), "call", "them")),
            "your turn to call: they started the call of 2026-04-03",
        ),
        (
            EXAMPLES["your_turn"],
            "reach out first: they have carried it lately (balance -0.60)",
        ),
        (EXAMPLES["one_sided"], "let them lead: a light touch, then leave the next move to them"),
        (EXAMPLES["first_contact"], "say hello: nothing logged with them yet"),
        (  # the last summary ("Catch-up") is something to pick up (the digest shows it above)
            EXAMPLES["long_gap"],
            "a short message picking up where you left off: 60 days since the last contact",
        ),
        (
            facts(days_since=60, last=Last(TODAY - timedelta(days=60), "call", "mutual")),
            "a short message, no agenda: 60 days since the last contact",
        ),
        (facts(), "check in as usual: a call, like last time"),
        (
            facts(last=Last(TODAY, "other", "me")),
            "check in as usual (every 30 days)",
        ),
    ],
)
def test_suggestions(example, expected):
    assert decide(example).text == expected


@pytest.mark.parametrize(
    ("example", "rule", "because"),
    [
        (facts(coming_up=(birthday(8),)), "birthday_soon", "is 8 days away, more than 7"),
        (facts(), "birthday_soon", "no birthday in the look-ahead"),
        (facts(coming_up=(anniversary(9),)), "date_soon", "9 days away, more than 7"),
        (facts(coming_up=(reminder(8),)), "reminder_due", "more than 7 days away"),
        (facts(), "they_reached_out", "was started by both of you"),
        (facts(last=Last(TODAY, "call", "me")), "they_reached_out", "was started by you"),
        (facts(), "your_turn", "balance +0.05: balanced"),
        (
            facts(balance=0.5, balance_label="you_give_more", interactions=2),
            "one_sided",
            "but only 2 interactions, fewer than 3",
        ),
        (facts(), "long_gap", "40 days since the last contact, under 2 cadences (60 days)"),
    ],
)
def test_why_a_rule_does_not_apply(example, rule, because):
    checked = {c.rule: c for c in decide(example).checked}
    assert not checked[rule].applies
    assert because in checked[rule].because


def test_the_soonest_date_of_a_kind_decides():
    both = facts(coming_up=(birthday(12), anniversary(9), anniversary(4, "First date")))
    step = decide(both)
    assert step.rule == "date_soon" and "First date" in step.text


_days = st.integers(-30, 30)
_coming = st.one_of(
    st.builds(birthday, st.integers(0, 20), st.one_of(st.none(), st.integers(1, 120))),
    st.builds(anniversary, st.integers(0, 20), st.sampled_from(["Wedding", None])),
    st.builds(reminder, _days, st.integers(1, 99)),
)
_last = st.one_of(
    st.none(),
    st.builds(
        Last,
        st.just(TODAY - timedelta(days=10)),
        st.sampled_from(["call", "gift", "meal", "email", "other", "favor"]),
        st.sampled_from(["me", "them", "mutual"]),
    ),
)


@st.composite
def any_facts(draw) -> Facts:
    last = draw(_last)
    balance = None if last is None else draw(st.floats(-1, 1))
    label = None
    if balance is not None:
        label = (
            "balanced"
            if abs(balance) < 0.2
            else "you_give_more"
            if balance > 0
            else "they_give_more"
        )
    return Facts(
        name="Ada Lovelace",
        cadence_days=draw(st.integers(1, 365)),
        days_since=None if last is None else draw(st.integers(0, 1000)),
        last=last,
        balance=balance,
        balance_label=label,
        interactions=0 if last is None else draw(st.integers(1, 50)),
        coming_up=tuple(draw(st.lists(_coming, max_size=4))),
    )


@given(any_facts())
def test_the_first_rule_that_applies_wins(f):
    applying = [name for name, rule in RULES if rule(f).applies]
    step = decide(f)
    assert applying and applying[-1] == "keep_rhythm"
    assert step.rule == applying[0]
    assert step.text and step.because
    assert [c.rule for c in step.checked] == list(ORDER[: ORDER.index(step.rule) + 1])


# --- how to reach them ---------------------------------------------------------------------------

EMAIL = Method("email", "ada@example.org")
WORK = Method("email", "ada@work.example", "work")
PHONE = Method("phone", "+442079460000")
SOCIAL = Method("social", "@ada")
WEB = Method("url", "https://ada.example")


@pytest.mark.parametrize(
    ("methods", "channel", "expected"),
    [
        ([], None, None),
        ([], "call", None),
        ([EMAIL, PHONE], None, ("email", "ada@example.org", None, "first_listed")),
        ([EMAIL, PHONE], "call", ("phone", "+442079460000", None, "last_used")),
        ([EMAIL, WORK], "email", ("email", "ada@example.org", None, "last_used")),
        ([EMAIL, SOCIAL], "message", ("social", "@ada", None, "last_used")),
        ([SOCIAL, PHONE], "video", ("phone", "+442079460000", None, "last_used")),
        ([EMAIL], "letter", ("email", "ada@example.org", None, "first_listed")),
        # a web address reaches no one: the first method that does, else none
        ([WEB, SOCIAL], None, ("social", "@ada", None, "first_listed")),
        ([WEB], "call", None),
        ([WEB._replace(preferred=True), EMAIL], None, ("url", WEB.value, None, "preferred")),
        (
            [EMAIL, PHONE, WORK._replace(preferred=True)],
            "call",
            ("email", "ada@work.example", "work", "preferred"),
        ),
    ],
)
def test_choose_reach(methods, channel, expected):
    found = choose_reach(methods, channel)
    assert (None if found is None else tuple(found)) == expected


@pytest.mark.parametrize("kind", [k for k in INTERACTION_KINDS if k != "other"])
def test_keep_rhythm_names_the_last_kind_with_its_article(kind):
    last = Last(TODAY - timedelta(days=40), kind, "mutual", "Catch-up")
    text = nextstep.next_step(facts(last=last))[1]
    article = "an" if kind in ("email", "event") else "a"
    assert text == f"check in as usual: {article} {kind}, like last time"


@pytest.mark.parametrize("kind", [k for k in INTERACTION_KINDS if k != "other"])
@pytest.mark.parametrize("initiator", ["them", "me"])
def test_why_they_reached_out_names_the_last_kind_with_its_article(kind, initiator):
    """The digest's `because` reads "an email", not "a email" (JSON and --explain)."""
    last = Last(TODAY - timedelta(days=40), kind, initiator, "Catch-up")
    (checked,) = [c for c in decide(facts(last=last)).checked if c.rule == "they_reached_out"]
    article = "an" if kind in ("email", "event") else "a"
    assert f"last interaction, {article} {kind} on " in checked.because
