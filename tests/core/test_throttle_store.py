"""The throttles' store without Redis (gongkai.core.throttle.CounterCache, diskcache's Django backend;
docs/adr/0013): Django's cache semantics for counts, and nothing in its file is ever unpickled."""

import time
from pathlib import Path

import diskcache
import pytest
from django.core.cache import caches

from gongkai.core.throttle import CounterCache, Throttle


@pytest.fixture
def store(tmp_path):
    return CounterCache(str(tmp_path / "throttle"), {"SHARDS": 1})


def test_the_settings_give_the_throttles_this_store():
    assert isinstance(caches["throttle"], CounterCache)


def test_counts_are_added_raised_and_expire(store, monkeypatch):
    assert store.add("n", 1, timeout=10) is True and store.add("n", 5, timeout=10) is False
    assert store.incr("n") == 2 and store.incr("n", 5) == 7
    assert store.get_many(["n", "missing"]) == {"n": 7}
    with pytest.raises(ValueError):
        store.incr("missing")  # Django's contract, which Throttle.hit relies on
    now = time.time()
    monkeypatch.setattr(time, "time", lambda: now + 11)
    assert store.get("n") is None and store.add("n", 1, timeout=10) is True


def test_only_whole_numbers_are_stored(store):
    for value in ("text", {"a": 1}, 1.5, True, 2**63):
        with pytest.raises(TypeError):
            store.set("v", value)
    assert store.get("v") is None


class Planted:
    """What someone able to write to the directory could plant: unpickling it runs code (here, makes a file)."""

    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self):
        return (Path.touch, (self.marker,))


def test_a_pickled_value_planted_in_the_directory_is_never_unpickled(tmp_path, settings):
    directory, marker = tmp_path / "throttle", tmp_path / "code-ran"
    settings.CACHES = {**settings.CACHES, "throttle": {"BACKEND": "gongkai.core.throttle.CounterCache",
                                                       "SHARDS": 1, "LOCATION": str(directory)}}
    throttle, ip = Throttle(name="planted", limit=5, window=3600), "198.51.100.9"
    throttle.hit(ip)
    key = caches["throttle"].make_key(throttle._keys(ip)[-1])
    with diskcache.Cache(str(directory / "000")) as plain:  # the one shard, opened without our guard
        assert plain.get(key) == 1
        plain.set(key, Planted(marker))
        plain.get(key)
        assert marker.exists()  # diskcache's default runs it when reading ...
    marker.unlink()
    assert throttle.needs_challenge(ip) is True  # ... ours refuses the value: the count is unknown
    assert not marker.exists()
