"""The SQLite cache of the throttles (gongkai/core/sharedcache.py): Django's cache semantics."""

import pytest

from gongkai.core.sharedcache import SQLiteCache


@pytest.fixture
def store(tmp_path):
    return SQLiteCache(str(tmp_path / "sub" / "cache.sqlite3"), {})


def test_set_get_add_delete(store):
    assert store.get("a", "none") == "none"
    store.set("a", 3)
    assert store.get("a") == 3
    assert store.add("a", 5) is False and store.get("a") == 3
    assert store.add("b", 5) is True and store.has_key("b")
    assert store.get_many(["a", "b", "c"]) == {"a": 3, "b": 5}
    assert store.delete("a") is True and store.delete("a") is False
    store.clear()
    assert store.get_many(["b"]) == {}


@pytest.mark.parametrize("value", [{"n": [1, 2]}, "7", 1.5, True, b"x"])
def test_only_whole_numbers_are_stored(store, value):
    with pytest.raises(TypeError):
        store.set("a", value)
    with pytest.raises(TypeError):
        store.add("a", value)
    assert store.get("a") is None


def test_a_planted_pickle_is_never_unpickled(store, tmp_path):
    """A file under VAR_DIR that someone else wrote: its values read as missing, nothing runs."""
    import pickle
    import sqlite3

    class Boom:
        def __reduce__(self):
            return (open, (str(tmp_path / "ran"), "w"))

    store.set("n", 1)  # creates the file and its table
    path = str(tmp_path / "sub" / "cache.sqlite3")
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE cache SET value = ? WHERE key = ?", (pickle.dumps(Boom()), store.make_key("n")))
        conn.execute("INSERT INTO cache (key, value, expires) VALUES (?, ?, NULL)", (store.make_key("s"), "abc"))
    assert store.get("n") is None and store.get("s") is None
    assert store.get_many(["n", "s"]) == {}
    with pytest.raises(ValueError):
        store.incr("n")
    assert not (tmp_path / "ran").exists()


def test_incr_is_refused_for_a_missing_key_and_counts_otherwise(store):
    with pytest.raises(ValueError):
        store.incr("n")
    store.add("n", 1)
    assert store.incr("n") == 2
    assert store.incr("n", 5) == 7
    assert store.get("n") == 7


def test_an_expired_value_is_gone_and_can_be_added_again(store, monkeypatch):
    import time

    now = time.time()
    store.set("t", 1, timeout=10)
    monkeypatch.setattr(time, "time", lambda: now + 11)
    assert store.get("t") is None and not store.has_key("t")
    with pytest.raises(ValueError):
        store.incr("t")
    assert store.add("t", 3, timeout=10) is True and store.get("t") == 3
    assert store.touch("t", timeout=None) is True
    monkeypatch.setattr(time, "time", lambda: now + 10**6)
    assert store.get("t") == 3  # no expiry any more


def test_a_timeout_of_zero_stores_nothing_lasting(store):
    store.set("z", 1, timeout=0)
    assert store.get("z") is None



def test_a_locked_file_at_opening_is_tried_again(monkeypatch):
    """Switching a file to WAL takes its exclusive lock and SQLite may refuse at once ("database is
    locked", seen with four processes opening a new file together): the setup is tried again."""
    import sqlite3

    from gongkai.core import sharedcache

    class Flaky:
        def __init__(self, refusals):
            self.refusals, self.statements = refusals, []

        def execute(self, sql, *args):
            if sql == "PRAGMA journal_mode = WAL" and self.refusals:
                self.refusals -= 1
                raise sqlite3.OperationalError("database is locked")
            self.statements.append(sql)
            return self

        def fetchone(self):
            return ("delete",)

    conn = Flaky(refusals=3)
    sharedcache._setup(conn)
    assert conn.refusals == 0 and "PRAGMA journal_mode = WAL" in conn.statements
    with pytest.raises(sqlite3.OperationalError):
        sharedcache._setup(Flaky(refusals=10**6), patience=0.05)  # a lock never released still fails
