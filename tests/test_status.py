"""`manage.py status` on the demonstration data, on both databases."""

from __future__ import annotations

import io

import pandas as pd
import pytest

import manage
from config import get_catalogue
from config.models import Status
from metrics.scorecard import STATUS_COLUMNS
from metrics.status import STATUSES


@pytest.fixture(scope="module")
def status_csv(demo_store):
    """The whole status table at the latest month (all levels), run once per backend."""
    from contextlib import redirect_stdout

    from config import get_settings

    buffer = io.StringIO()
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DATABASE_URL", demo_store.url)
        get_settings.cache_clear()
        with redirect_stdout(buffer):
            assert manage.main(["status"]) == 0
    get_settings.cache_clear()
    return buffer.getvalue()


def test_status_covers_every_measure_and_area_with_no_insufficient_data(status_csv):
    assert status_csv.splitlines()[0] == ",".join([*STATUS_COLUMNS, "reason"])
    table = pd.read_csv(io.StringIO(status_csv))
    catalogue = get_catalogue()
    assert len(table) == len(catalogue.measures.measure) * len(catalogue.area_names())
    assert set(table["as_of"]) == {"2026-10"}
    assert set(table["status"]) <= set(STATUSES)
    assert (table["status"] != "insufficient data").all()
    assert (
        table[
            [
                "rolling_12m",
                "baseline",
                "target",
                "trajectory",
                "forecast",
                "forecast_low",
                "forecast_high",
                "probability",
            ]
        ]
        .notna()
        .all()
        .all()
    )
    assert (table["forecast_low"] <= table["forecast"]).all()
    assert (table["forecast"] <= table["forecast_high"]).all()
    assert table["probability"].between(0, 1).all()


def test_every_status_agrees_with_its_chance_and_none_is_decided_early(status_csv):
    """For every district (and every other area), under the default thresholds."""
    table = pd.read_csv(io.StringIO(status_csv))
    thresholds = get_catalogue().signals.status
    expected = pd.cut(
        table["probability"].round(2),  # the chance in whole percent, as shown
        [-0.1, thresholds.off_track, thresholds.on_track, 1.1],
        right=False,
        labels=[Status.OFF_TRACK, Status.AT_RISK, Status.ON_TRACK],
    ).astype(str)
    assert (table["status"] == expected).all(), table[table["status"] != expected]
    assert not table["status"].isin([Status.ACHIEVED, Status.MISSED]).any()
    assert len(table[table["level"] == "district"]) == 14 * len(get_catalogue().measures.measure)
    assert (table["reason"].str.split(":").str[0] == table["status"]).all()
    provisional = table[table["measure"] == "shoplifting_positive_outcomes"]
    assert set(provisional["judged_to"]) == {"2026-07"}


def test_baselines_add_up_and_the_force_baseline_is_published(status_csv):
    table = pd.read_csv(io.StringIO(status_csv))
    asb = table[table["measure"] == "asb_incidents"].set_index("area")
    assert asb.loc["Lancashire", "baseline"] == 54064
    by_level = asb.groupby("level")["baseline"].sum()
    assert by_level["district"] == by_level["division"] == by_level["force"] == 54064


def test_rolling_12_months_to_september_2025_is_54064(demo_store, use_store, capsys):
    use_store(demo_store)
    assert manage.main(["status", "--level", "force", "--as-of", "2025-09"]) == 0
    table = pd.read_csv(io.StringIO(capsys.readouterr().out))
    asb = table[table["measure"] == "asb_incidents"].iloc[0]
    assert (asb["rolling_12m"], asb["baseline"], asb["judged_to"]) == (54064, 54064, "2025-09")
    # At the end of the baseline year the whole target year is still to come: the status is
    # the forecast's chance of ending it below the baseline, stated in the reason.
    assert asb["status"] == "at risk" and 0.25 <= asb["probability"] < 0.75
    assert asb["reason"] == (
        f"at risk: {asb['probability']:.0%} chance of ending the year to March 2027 below the "
        "baseline of 54,064"
    )


def test_status_refuses_a_month_after_the_data(demo_store, use_store, capsys):
    use_store(demo_store)
    with pytest.raises(SystemExit) as caught:
        manage.main(["status", "--as-of", "2027-01"])
    assert caught.value.code == 2
    assert "after the latest month of data (2026-10)" in capsys.readouterr().err
