import pytest
from django.core.cache import cache

from gongkai.core.throttle import Throttle


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


def test_limit_counts_per_name_and_address():
    t = Throttle(name="test-a", limit=3, challenge_after=1)
    assert not t.needs_challenge("1.2.3.4")
    t.hit("1.2.3.4")
    assert t.needs_challenge("1.2.3.4")
    assert not t.needs_challenge("5.6.7.8")
    t.hit("1.2.3.4")
    t.hit("1.2.3.4")
    assert t.is_limited("1.2.3.4")
    assert not Throttle(name="test-b", limit=3).is_limited("1.2.3.4")


def test_challenge_answer_is_checked_against_the_signed_token():
    t = Throttle(name="test-c")
    question, token = t.make_challenge()
    a, b = (int(x) for x in question.split(" 等于")[0].split(" 加 "))
    assert t.check_challenge(token, str(a + b))
    assert not t.check_challenge(token, str(a + b + 1))
    assert not t.check_challenge("forged", str(a + b))
    assert not Throttle(name="other").check_challenge(token, str(a + b))
    assert t.challenge_for(token) == (question, token)
    assert t.challenge_for("forged")[1] != "forged"


class _DownCache:
    """A cache whose server is gone: every call raises, as Django's Redis backend does."""

    def _fail(self, *args, **kwargs):
        raise ConnectionError("cache server unreachable")

    get = get_many = set = delete = delete_many = add = incr = _fail


def test_a_cache_outage_asks_the_challenge_and_never_raises(monkeypatch):
    from gongkai.core import throttle as module

    t = module.Throttle(name="outage", limit=1, challenge_after=5)
    monkeypatch.setattr(module, "_store", _DownCache)
    t.hit("203.0.113.9")
    t.reset("203.0.113.9")
    assert t.needs_challenge("203.0.113.9") is True  # counts unknown: the challenge stands in
    assert t.is_limited("203.0.113.9") is False  # and no limit is claimed
