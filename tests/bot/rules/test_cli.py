"""`hrd policy show`: the version in force with each value's source; clean errors."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import main
from bot.rules import ottawa_date, policy_on

FIELDS = ("effective_from", "annual_cap", "direct_referral_partners", "identifying_partners")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["policy", "show", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_show_on_a_date_prints_values_with_sources(capsys: pytest.CaptureFixture[str]):
    code, out, err = run(capsys, "--on", "2022-01-01")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0] == "Policy in force on 2022-01-01: 2021-launch"
    assert "  effective_from: 2021-07-01" in lines
    assert "  direct_referral_partners: unhcr" in lines
    assert "  identifying_partners: front_line_defenders, protect_defenders_eu" in lines
    assert any(line.startswith("  annual_cap: 250 people") for line in lines)
    # Every value is followed by its source.
    for name in FIELDS:
        at = next(i for i, line in enumerate(lines) if line.startswith(f"  {name}: "))
        assert lines[at + 1].startswith("    source: ")
    assert 'IRCC backgrounder "Providing protection to human rights defenders at risk"' in out


@pytest.mark.parametrize(
    ("on", "version", "cap"),
    [("2023-02-28", "2021-launch", 250), ("2023-03-01", "2023-direct-referrals", 250),
     ("2023-07-24", "2023-direct-referrals", 250), ("2023-07-25", "2023-doubled", 500)],
)
def test_show_at_boundaries(capsys: pytest.CaptureFixture[str], on: str, version: str, cap: int):
    code, out, _ = run(capsys, "--on", on)
    assert code == 0
    assert out.splitlines()[0] == f"Policy in force on {on}: {version}"
    assert f"  annual_cap: {cap} people" in out
    direct_line = next(line for line in out.splitlines() if "direct_referral_partners" in line)
    assert ("front_line_defenders" in direct_line) is (on >= "2023-03-01")


def test_show_defaults_to_today_in_ottawa(capsys: pytest.CaptureFixture[str]):
    code, out, _ = run(capsys)
    today = ottawa_date(dt.datetime.now(dt.UTC))
    assert code == 0
    assert out.splitlines()[0] == f"Policy in force on {today}: {policy_on(today).id}"


def test_before_the_stream_opened(capsys: pytest.CaptureFixture[str]):
    code, out, err = run(capsys, "--on", "2021-06-30")
    assert (code, out) == (2, "")
    assert err.startswith("hrd: ") and "2021-07-01" in err
    assert "Traceback" not in err


@pytest.mark.parametrize("bad", ["2022-13-01", "2022-02-30", "yesterday", "20220101", "22-1-1"])
def test_bad_date(capsys: pytest.CaptureFixture[str], bad: str):
    code, out, err = run(capsys, "--on", bad)
    assert (code, out) == (2, "")
    assert err == f"hrd: invalid date {bad!r}: expected a calendar date as YYYY-MM-DD\n"


def test_policy_needs_a_sub_command(capsys: pytest.CaptureFixture[str]):
    with pytest.raises(SystemExit) as raised:
        main(["policy"])
    assert raised.value.code == 2


def test_installed_console_script():
    script = Path(sys.executable).parent / "hrd"
    if not script.exists():
        pytest.skip("console script not installed in this environment")
    ok = subprocess.run([script, "policy", "show", "--on", "2022-01-01"],
                        capture_output=True, text=True, check=False)
    assert ok.returncode == 0 and "2021-launch" in ok.stdout
    bad = subprocess.run([script, "policy", "show", "--on", "2021-06-30"],
                         capture_output=True, text=True, check=False)
    assert bad.returncode == 2 and "Traceback" not in bad.stderr and "2021-07-01" in bad.stderr
