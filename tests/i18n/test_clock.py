"""Times of day as each language writes them, in the reader's time zone."""

from __future__ import annotations

import datetime as dt

from i18n import clock

MOMENT = dt.datetime(2026, 11, 30, 13, 5, tzinfo=dt.UTC)


def test_a_time_is_shown_in_the_readers_zone_and_language() -> None:
    assert clock(MOMENT, "en", "Europe/Copenhagen") == "14:05"
    assert clock(MOMENT, "da", "Europe/Copenhagen") == "14.05"
    assert clock(MOMENT, "ru", "Asia/Seoul") == "22:05"


def test_an_unknown_zone_says_utc_rather_than_guess() -> None:
    assert clock(MOMENT, "en", None) == "13:05 UTC"
    assert clock(MOMENT, "en", "Not/AZone") == "13:05 UTC"
    assert clock(MOMENT, "en", "../../etc/passwd") == "13:05 UTC"
