"""`make soak` in short, so it cannot rot: the real driver (python -m scripts.soak) against gunicorn and a copy of
the small demo (sec_e_soak) for about 12 seconds, with wrk and the Lua mix.

It must finish with no error of any kind, its writes must be in the database (counted here, not by the driver),
and its JSON and Markdown report must be written. Speed and memory are not judged here (a shared machine, a few
seconds); the ten-minute run in the README does that.
"""
import json

import pytest

from scripts.soak.run import check_writes, lua_value, memory_table, unanswered_posts

from .conftest import clone, pg, run, scratch, url

SOAK = "sec_e_soak"


@pytest.mark.django_db  # so pytest-django makes the migrated test database the demo is copied from
def test_a_short_soak_answers_every_request_and_its_writes_are_in_the_database(demo_database, tmp_path):
    source, _media, _seconds = demo_database
    out = tmp_path / "soak"
    with scratch(SOAK):
        clone(source, SOAK)
        with pg(SOAK) as conn:
            repairs_before = conn.execute("SELECT COUNT(*) FROM assets_repairrequest").fetchone()[0]
        done = run(["-m", "scripts.soak"], {
            "DATABASE_URL": url(SOAK), "MEDIA_ROOT": str(tmp_path / "media"), "SOAK_SECONDS": "12",
            "SOAK_WARMUP": "3", "SOAK_SAMPLE": "3", "SOAK_PORT": "8622", "SOAK_OUT": str(out),
            "SOAK_WORKERS": "2", "SOAK_CONNECTIONS": "4", "SOAK_COLLECTSTATIC": "0"}, timeout=400)
        assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
        res = json.loads((out / "latest.json").read_text())
        assert "Result: OK" in (out / "latest.md").read_text()

        assert res["ok"] and res["failures"] == []
        assert res["errors"] == {"non_2xx_3xx": 0, "socket": 0, "http_5xx_in_log": 0, "tracebacks_in_log": 0}
        assert res["requests"] > 0 and res["requests_per_s"] > 0
        # every role's pages were asked for and answered
        assert {"teacher_mine", "teacher_report", "worker_queue", "head_register", "principal_inbox",
                "canteen_day"} <= set(res["actions"])
        assert set(res["status"]) <= {"200", "302"}
        # gunicorn's own log saw the same answers
        assert set(res["log_status"]) <= {"200", "302"} and sum(res["log_status"].values()) >= res["requests"]

        # accepted (302) by the app, and perhaps one more per connection still unanswered when wrk stopped
        reported = next(row for row in res["writes"] if row["what"] == "repair requests reported")
        accepted = int(reported["expected"].split()[0])
        assert accepted > 0 and reported["ok"]
        with pg(SOAK) as conn:
            repairs = conn.execute("SELECT COUNT(*) FROM assets_repairrequest").fetchone()[0]
            titled = conn.execute(
                "SELECT COUNT(*) FROM assets_repairrequest WHERE title LIKE %s", ["压力测试%"]).fetchone()[0]
            history = conn.execute("SELECT COUNT(*) FROM assets_historicalrepairrequest r JOIN assets_repairrequest q "
                                   "ON q.id = r.id WHERE q.title LIKE %s", ["压力测试%"]).fetchone()[0]
        assert repairs - repairs_before == titled == reported["found"]
        assert accepted <= titled <= accepted + 4
        assert history >= titled  # each was made through the service, with its history row
        assert all(row["ok"] for row in res["writes"])
        assert [m for m in res["memory"] if m["start_mb"] and m["end_mb"]] and len(res["memory"]) == 2


def test_the_write_check_fails_when_an_accepted_write_is_missing_or_a_post_was_refused():
    before = {"repairs": 10, "repairs_by_teacher": 4, "taken": 0, "started": 0, "checks": 0}
    after = {"repairs": 12, "repairs_by_teacher": 6, "taken": 1, "started": 1, "checks": 1}
    good = check_writes(before, after, {"teacher_report": 2, "worker_take": 1, "worker_start": 1,
                                        "canteen_check": 3}, {}, [5, 6])
    assert all(ok for *_, ok in good)
    lost = check_writes(before, after, {"teacher_report": 3, "worker_take": 1, "worker_start": 1}, {}, [5, 6])
    assert [what for what, *_, ok in lost if not ok] == [
        "repair requests reported", "… of them by the teacher",
        "morning checks recorded (new, of 0 posts, 2 people)"]
    # one more in the database than answered is right when one was still unanswered as wrk stopped
    extra = check_writes(before, after, {"teacher_report": 1, "worker_take": 1, "worker_start": 1,
                                         "canteen_check": 1}, {}, [5], {"teacher_report": 1})
    assert all(ok for *_, ok in extra) and extra[0][1] == "1 (+1 unanswered)"
    refused = check_writes(before, before, {}, {"teacher_report": 1}, [])
    assert [what for what, *_, ok in refused if not ok] == ["teacher_report: refused (not a redirect)"]


def test_unanswered_posts_are_those_sent_without_an_answer():
    run = {"sent": {"teacher_report": 5, "worker_take": 2, "head_home": 9},
           "by_status": {"teacher_report 3xx": 4, "worker_take 3xx": 2, "head_home 2xx": 8}}
    assert unanswered_posts(run) == {"teacher_report": 1}


def test_memory_growth_and_a_restarted_worker_are_flagged():
    samples = [{"t": 0, "rss": {"1": 80.0, "2": 80.0}}, {"t": 10, "rss": {"1": 90.0, "2": 91.0}},
               {"t": 20, "rss": {"1": 95.0, "2": 140.0}}, {"t": 30, "rss": {"1": 96.0, "3": 85.0}}]
    rows = {r["pid"]: r for r in memory_table(samples, 1, 40)}
    assert rows[1]["growth_mb"] == 6.0 and rows[1]["flat"]
    assert rows[2]["growth_mb"] is None and not rows[2]["flat"]  # gone before the end: restarted
    assert rows[3]["note"] and not rows[3]["flat"]
    grown = memory_table(samples[:3], 0, 40)
    assert [r["growth_mb"] for r in grown] == [15.0, 60.0] and [r["flat"] for r in grown] == [True, False]


def test_the_lua_configuration_is_lua():
    assert lua_value({"roles": {"head": {"cookie": 'a"b'}}, "ids": [1, 2], "on": True}) == (
        '{["roles"] = {["head"] = {["cookie"] = "a\\"b"}}, ["ids"] = {1, 2}, ["on"] = true}')
