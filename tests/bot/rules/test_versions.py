"""Version boundaries: the day before and the day of each effective date."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.rules import (
    RULES,
    Policy,
    StreamNotOpen,
    decide,
    load_policies,
    may_refer,
    policy_by_id,
    policy_for_year,
    policy_on,
    referral_right,
)
from tests.bot.rules.support import answers

D = dt.date

# (date, version in force, cap, Front Line Defenders' right, ProtectDefenders.eu's right)
BOUNDARIES = [
    (D(2021, 7, 1), "2021-launch", 250, "identify", "identify"),
    (D(2023, 2, 28), "2021-launch", 250, "identify", "identify"),
    (D(2023, 3, 1), "2023-direct-referrals", 250, "direct", "direct"),
    (D(2023, 7, 24), "2023-direct-referrals", 250, "direct", "direct"),
    (D(2023, 7, 25), "2023-doubled", 500, "direct", "direct"),
    (D(2099, 12, 31), "2023-doubled", 500, "direct", "direct"),
]


@pytest.mark.parametrize(("on", "version", "cap", "fld", "pde"), BOUNDARIES)
def test_version_in_force(on: dt.date, version: str, cap: int, fld: str, pde: str):
    policy = policy_on(on)
    assert (policy.id, policy.annual_cap) == (version, cap)
    assert referral_right("front_line_defenders", on) == fld
    assert referral_right("protect_defenders_eu", on) == pde
    assert referral_right("unhcr", on) == "direct"
    assert may_refer("front_line_defenders", on) is (fld == "direct")
    assert may_refer("unhcr", on) is True
    assert decide(answers(), on=on, spaces_used=0).policy_version == version


@pytest.mark.parametrize("org", ["national_ngo", "", "UNHCR", "front line defenders"])
def test_other_organizations_cannot_refer(org: str):
    for on, *_ in BOUNDARIES:
        assert referral_right(org, on) == "none"
        assert may_refer(org, on) is False


@pytest.mark.parametrize("on", [D(2021, 6, 30), D(2000, 1, 1)])
def test_before_the_stream_opened_is_an_error_not_a_guess(on: dt.date):
    with pytest.raises(StreamNotOpen, match="2021-07-01"):
        policy_on(on)
    with pytest.raises(StreamNotOpen):
        referral_right("unhcr", on)
    with pytest.raises(StreamNotOpen):
        may_refer("unhcr", on)
    with pytest.raises(StreamNotOpen):
        decide(answers(), on=on, spaces_used=0)


def test_stream_not_open_is_a_value_error():
    assert issubclass(StreamNotOpen, ValueError)


# Each effective date, one minute either side of Ottawa midnight, written in other zones:
# the version in force is the one of the Ottawa date, not of the datetime's own zone.
PARIS_SUMMER, TOKYO, UTC_ZONE = (dt.timezone(dt.timedelta(hours=h)) for h in (2, 9, 0))
OTTAWA_MIDNIGHTS = [
    # 2021-07-01 00:00 EDT = 04:00 UTC = 06:00 Paris (UTC+2)
    (dt.datetime(2021, 7, 1, 5, 59, tzinfo=PARIS_SUMMER), None),
    (dt.datetime(2021, 7, 1, 6, 1, tzinfo=PARIS_SUMMER), "2021-launch"),
    # 2023-03-01 00:00 EST = 05:00 UTC = 14:00 Tokyo
    (dt.datetime(2023, 3, 1, 13, 59, tzinfo=TOKYO), "2021-launch"),
    (dt.datetime(2023, 3, 1, 14, 1, tzinfo=TOKYO), "2023-direct-referrals"),
    (dt.datetime(2023, 3, 1, 4, 59, tzinfo=UTC_ZONE), "2021-launch"),
    # 2023-07-25 00:00 EDT = 04:00 UTC
    (dt.datetime(2023, 7, 25, 3, 59, tzinfo=UTC_ZONE), "2023-direct-referrals"),
    (dt.datetime(2023, 7, 25, 4, 1, tzinfo=UTC_ZONE), "2023-doubled"),
    # Late evening in Ottawa on the day before, already the effective date in UTC.
    (dt.datetime(2023, 7, 24, 23, 30, tzinfo=dt.timezone(dt.timedelta(hours=-4))),
     "2023-direct-referrals"),
]


@pytest.mark.parametrize(("moment", "version"), OTTAWA_MIDNIGHTS)
def test_an_aware_datetime_is_taken_at_its_ottawa_date(moment: dt.datetime, version: str | None):
    if version is None:
        with pytest.raises(StreamNotOpen):
            policy_on(moment)
        return
    assert policy_on(moment).id == version
    assert decide(answers(), on=moment, spaces_used=0).policy_version == version


def test_a_naive_datetime_is_refused_not_guessed():
    with pytest.raises(ValueError, match="naive"):
        policy_on(dt.datetime(2023, 3, 1, 0, 0))


def test_the_version_in_force_for_a_year():
    today = D(2030, 1, 15)
    assert policy_for_year(2023, today).id == "2023-doubled"  # in force on 31 December
    assert policy_for_year(2022, today).id == "2021-launch"
    assert policy_for_year(2030, D(2023, 5, 1)).id == "2023-direct-referrals"  # today's
    assert policy_by_id("2021-launch").annual_cap == 250
    with pytest.raises(LookupError):
        policy_by_id("1999-none")


def test_not_a_date_is_rejected():
    with pytest.raises(TypeError):
        policy_on("2023-03-01")  # type: ignore[arg-type]


def test_shipped_versions_values_and_sources():
    policies = load_policies()
    assert [p.id for p in policies] == ["2021-launch", "2023-direct-referrals", "2023-doubled"]
    launch, direct, doubled = policies
    assert launch.effective_from == D(2021, 7, 1)
    assert launch.direct_referral_partners == {"unhcr"}
    assert launch.identifying_partners == {"front_line_defenders", "protect_defenders_eu"}
    designated = {"unhcr", "front_line_defenders", "protect_defenders_eu"}
    assert direct.direct_referral_partners == doubled.direct_referral_partners == designated
    assert direct.identifying_partners == doubled.identifying_partners == frozenset()
    assert "IRCC backgrounder" in launch.sources["annual_cap"]
    assert "program delivery instructions" in direct.sources["direct_referral_partners"]
    assert "doubles resettlement spaces" in doubled.sources["annual_cap"]
    for policy in policies:
        assert set(policy.sources) == {
            "effective_from", "annual_cap", "direct_referral_partners", "identifying_partners",
            "partner_names",
        }
        assert all(source.strip() for source in policy.sources.values())
        assert set(policy.rule_sources) == set(RULES)
        assert policy.partner_name("unhcr", "en") == "UNHCR"
        assert policy.partner_name("unhcr", "fr") == "HCR"
    # A 2022 decision cites the 2021 texts, not the 2023 program delivery instructions.
    assert "July 2021" in launch.rule_source("E1")
    assert "program delivery instructions" not in launch.rule_source("E6")
    assert "program delivery instructions" in doubled.rule_source("E6")


def test_default_folder_is_loaded_once():
    assert load_policies() is load_policies()


def test_policies_are_immutable():
    policy = load_policies()[0]
    assert isinstance(policy, Policy)
    with pytest.raises(AttributeError):
        policy.annual_cap = 1  # type: ignore[misc]
    with pytest.raises(TypeError):
        policy.sources["annual_cap"] = "x"  # type: ignore[index]
    assert hash(policy) == hash(load_policies()[0])


def test_explicit_policies_are_used_in_any_order():
    cap_ten = Policy(
        id="test", effective_from=D(2020, 1, 1), annual_cap=10,
        direct_referral_partners=frozenset({"x"}), identifying_partners=frozenset(), sources={},
    )
    mixed = (*reversed(load_policies()), cap_ten)
    assert policy_on(D(2020, 6, 1), mixed) is cap_ten
    assert policy_on(D(2023, 3, 1), mixed).id == "2023-direct-referrals"
    assert may_refer("x", D(2020, 6, 1), mixed) is True
