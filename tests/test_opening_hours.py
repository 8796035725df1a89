"""Opening hours and the daily restart time as the config file gives them:
the schedule's logic (Qt-free), refusals one key at a time, the last good value."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from taixin_kiosk.config.hours import OpeningHours, next_time, parse_hours
from taixin_kiosk.config.last_good import last_good_path
from taixin_kiosk.config.load import load_config, remember_last_good
from taixin_kiosk.config.values import render_value
from taixin_kiosk.content.builtin import app_strings

# 2026-12-07 is a Monday.
MON, TUE, SAT, SUN = 7, 8, 12, 13


def at(day: int, clock: str, month: int = 12) -> datetime:
    hour, minute = map(int, clock.split(":"))
    return datetime(2026, month, day, hour, minute)


def hours(**days: object) -> OpeningHours:
    parsed, fault = parse_hours(days)
    assert fault is None, fault
    assert parsed is not None
    return parsed


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_weekday_range_opens_at_its_start_and_closes_at_its_end():
    week = hours(mon="09:00-17:30")
    assert not week.is_open(at(MON, "08:59"))
    assert week.is_open(at(MON, "09:00"))
    assert week.is_open(at(MON, "17:29"))
    assert not week.is_open(at(MON, "17:30"))


def test_a_lunch_break_as_a_list_or_with_commas():
    for week in (hours(tue=["09:00-12:00", "13:00-17:00"]), hours(tue="09:00-12:00, 13:00-17:00")):
        assert week.is_open(at(TUE, "11:59"))
        assert not week.is_open(at(TUE, "12:30"))
        assert week.is_open(at(TUE, "13:00"))
        assert not week.is_open(at(TUE, "17:00"))


def test_a_closed_day_and_a_day_left_out():
    week = hours(mon="09:00-17:00", sun="", sat=[])
    assert not week.is_open(at(SUN, "12:00")) and not week.is_open(at(SAT, "12:00"))
    # Tuesday is not in the table: open all day, like a kiosk with no table.
    assert week.is_open(at(TUE, "03:00")) and week.is_open(at(TUE, "23:59"))


def test_an_overnight_range_runs_into_the_next_day():
    week = hours(sat="22:00-02:00", sun="")
    assert not week.is_open(at(SAT, "21:59"))
    assert week.is_open(at(SAT, "23:30"))
    assert week.is_open(at(SUN, "01:59"))  # Sunday is closed, but Saturday night runs on
    assert not week.is_open(at(SUN, "02:00"))
    assert hours(mon="00:00-24:00").is_open(at(MON, "23:59"))


def test_the_next_opening_today_another_day_or_never():
    week = hours(mon="09:00-17:00", tue="", wed="", thu="", fri="", sat="10:00-16:00", sun="")
    assert week.next_opening(at(MON, "07:15")) == at(MON, "09:00")
    assert week.next_opening(at(MON, "18:00")) == at(SAT, "10:00")
    assert week.next_opening(at(SUN, "18:00")) == at(MON + 7, "09:00")
    never = hours(**dict.fromkeys(("mon", "tue", "wed", "thu", "fri", "sat", "sun"), ""))
    assert never.next_opening(at(MON, "12:00")) is None


def test_daylight_saving_is_the_local_clock_of_each_check():
    """The same UTC hour on either side of the change: 08:30 before, 09:30 after."""
    berlin = ZoneInfo("Europe/Berlin")
    week = hours(**dict.fromkeys(("mon", "tue", "wed", "thu", "fri", "sat", "sun"),
                                 "09:00-17:00"))
    before = datetime(2026, 3, 28, 7, 30, tzinfo=UTC).astimezone(berlin)  # CET
    after = datetime(2026, 3, 29, 7, 30, tzinfo=UTC).astimezone(berlin)   # CEST
    assert (before.hour, after.hour) == (8, 9)
    assert not week.is_open(before) and week.is_open(after)
    # Autumn: 17:00 local comes an hour later in UTC, and closes all the same.
    autumn = datetime(2026, 10, 25, 16, 0, tzinfo=UTC).astimezone(berlin)
    assert autumn.hour == 17 and not week.is_open(autumn)


def test_the_daily_restart_time_is_the_next_one_after_now():
    assert next_time(4 * 60, at(MON, "03:59")) == at(MON, "04:00")
    assert next_time(4 * 60, at(MON, "04:00")) == at(TUE, "04:00")


def test_the_file_reads_the_table_and_the_restart_time(tmp_path):
    config = load_config(write(tmp_path, 'kiosk = true\ndaily_restart = "04:00"\n'
                                         '[opening_hours]\nmon = "09:00-17:30"\n'
                                         'tue = ["09:00-12:00", "13:00-17:30"]\nsun = ""\n'))
    assert config.problems == ()
    s = config.settings
    assert s.daily_restart == "04:00"
    assert s.opening_hours is not None and s.opening_hours.is_open(at(MON, "10:00"))
    assert not s.opening_hours.is_open(at(SUN, "10:00"))
    assert render_value(s.opening_hours) == \
        '{ mon = "09:00-17:30", tue = "09:00-12:00, 13:00-17:30", sun = "" }'


def test_no_table_means_always_open(tmp_path):
    assert load_config(write(tmp_path, "kiosk = true\n")).settings.opening_hours is None


@pytest.mark.parametrize(("table", "key", "code"), [
    ('mon = "9-17"', "opening_hours.mon", "hours_range"),
    ('mon = "09:00-25:00"', "opening_hours.mon", "hours_range"),
    ('mon = "09:00-09:00"', "opening_hours.mon", "hours_range"),
    ("mon = 9", "opening_hours.mon", "hours_range"),
    ('thr = "09:00-17:00"', "opening_hours.thr", "hours_day"),
    ('daily_restart = "04:00"', "opening_hours.daily_restart", "hours_setting"),
])
def test_a_typo_is_named_and_the_kiosk_stays_open(tmp_path, table, key, code):
    config = load_config(write(tmp_path, f'kiosk = true\n[opening_hours]\nsun = ""\n{table}\n'))
    assert [(p.path, p.code) for p in config.problems] == [(key, code)]
    # No last good opening hours: open, never black while visitors may come.
    assert config.settings.opening_hours is None
    assert config.settings.kiosk
    message = config.problems[0].format(app_strings("en").text)
    assert key in message and "or stays open (in effect: not set)" in message


def test_a_setting_written_below_the_table_is_told_to_move(tmp_path):
    """`taixin-kiosk config`'s output edited in place: the table where its line was."""
    config = load_config(write(tmp_path, 'kiosk = true\n[opening_hours]\nmon = "09:00-17:30"\n'
                                         'channel_url = "https://content.example.org"\n'))
    message = config.problems[0].format(app_strings("en").text)
    assert "channel_url is a setting, not a weekday" in message
    assert 'put the table at the end of the file (or on one line, such as ' \
           'opening_hours = { mon = "09:00-17:30" })' in message


def test_a_value_that_is_not_a_table_is_refused(tmp_path):
    config = load_config(write(tmp_path, 'opening_hours = "09:00-17:00"\n'))
    assert [(p.path, p.code) for p in config.problems] == [
        ("opening_hours", "type_hours_optional")]


def test_a_typo_keeps_the_last_good_opening_hours(tmp_path):
    path = write(tmp_path, 'daily_restart = "04:00"\n[opening_hours]\nmon = "09:00-17:00"\n')
    assert remember_last_good(load_config(path))
    assert "opening_hours = {" in last_good_path(path).read_text(encoding="utf-8")
    path.write_text('daily_restart = "4 am"\nidle_seconds = 120\n'
                    '[opening_hours]\nmon = "09:00-1700"\n', encoding="utf-8")
    config = load_config(path)
    assert sorted(p.code for p in config.problems) == ["hours_range", "not_clock"]
    s = config.settings
    assert s.idle_seconds == 120  # the rest of the file applies
    assert s.daily_restart == "04:00" and config.source("daily_restart") == "last good"
    assert s.opening_hours is not None and not s.opening_hours.is_open(at(MON, "18:00"))
    assert config.source("opening_hours") == "last good"


def test_a_broken_file_keeps_the_last_good_opening_hours(tmp_path):
    path = write(tmp_path, 'kiosk = true\n[opening_hours]\nmon = "09:00-17:00"\n')
    assert remember_last_good(load_config(path))
    path.write_text('kiosk = true\nidle_seconds = 9O\n[opening_hours]\nmon = "09:00-17:00"\n',
                    encoding="utf-8")
    config = load_config(path)
    assert config.settings.opening_hours is not None
    assert not config.settings.opening_hours.is_open(at(MON, "08:00"))
