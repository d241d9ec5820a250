"""``gongkai clock FILE``: the applications app's command around clock_cli, with the database's calendar."""

import json

import pytest
from django.core.management import execute_from_command_line

pytestmark = pytest.mark.django_db


def test_clock_command_reads_a_file_and_prints_the_due_date(tmp_path, capsys):
    log = tmp_path / "events.json"
    log.write_text(json.dumps({"events": [{"kind": "received", "date": "2025-09-26", "channel": "in_person"}],
                               "today": "2025-10-20"}), encoding="utf-8")
    with pytest.raises(SystemExit) as exc:
        execute_from_command_line(["gongkai", "clock", str(log)])
    assert exc.value.code == 0
    out = json.loads(capsys.readouterr().out)
    # 20 working days from 2025-09-27, the National Day holiday (10-01…10-08) not counted, 09-28 and 10-11 worked
    assert out["due_date"] == "2025-10-30" and out["state"] == "running"


def test_clock_command_refuses_bad_input_in_chinese(tmp_path, capsys):
    log = tmp_path / "bad.json"
    log.write_text("{", encoding="utf-8")
    with pytest.raises(SystemExit) as exc:
        execute_from_command_line(["gongkai", "clock", str(log)])
    assert exc.value.code != 0
    assert any("\u4e00" <= ch <= "\u9fff" for ch in capsys.readouterr().err)
