"""Rate limits that fit offices: each browser (its X-Healthqa-Session) or signed-in token has its
own limits, per minute and per day, before the address; all the browsers behind one address share
a ceiling, so inventing sessions buys nothing beyond it; memory stays bounded."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr

from service.app import create_app
from service.hardening import Client, RateLimit, TokenBuckets, rate_client
from service.settings import Settings

REVIEWER = "reviewer-token-for-the-rate-limits"


def app_with(seed_settings, seed_engine, **overrides) -> TestClient:
    settings = seed_settings.model_copy(update={"rate_limit_exempt": (), **overrides})
    return TestClient(create_app(settings, seed_engine))


def session(name: str) -> dict[str, str]:
    return {"X-Healthqa-Session": f"browser-{name}-0123456789abcdef"}


def searches(client: TestClient, times: int, headers: dict[str, str] | None = None) -> list[int]:
    return [
        client.get("/api/search", params={"q": "bhyt"}, headers=headers or {}).status_code
        for _ in range(times)
    ]


def test_each_browser_behind_one_address_has_its_own_limit(seed_settings, seed_engine):
    with app_with(seed_settings, seed_engine, search_rate_per_minute=2) as office:
        assert searches(office, 3, session("a")) == [200, 200, 429]
        assert searches(office, 2, session("b")) == [200, 200]
        assert searches(office, 3) == [200, 200, 429]  # no session: the address's own bucket


def test_questions_are_limited_per_browser_too(seed_settings, seed_engine):
    with app_with(seed_settings, seed_engine, ask_rate_per_minute=1) as office:
        ask = {"question": "Tỷ lệ BHYT Long An?"}
        first = office.post("/api/ask", json=ask, headers=session("a"))
        again = office.post("/api/ask", json=ask, headers=session("a"))
        other = office.post("/api/ask", json=ask, headers=session("b"))
    assert (first.status_code, again.status_code, other.status_code) == (200, 429, 200)
    assert again.json()["code"] == "rate_limited"


def test_a_daily_limit_says_so_and_when_to_come_back(seed_settings, seed_engine):
    with app_with(
        seed_settings, seed_engine, search_rate_per_minute=100, search_rate_per_day=3
    ) as limited:
        assert searches(limited, 3, session("a")) == [200, 200, 200]
        refused = limited.get("/api/search", params={"q": "bhyt"}, headers=session("a"))
        assert searches(limited, 1, session("b")) == [200]
    assert refused.status_code == 429
    assert refused.json()["code"] == "daily_limit"
    assert "today" in refused.json()["detail"]
    # one more question a day is 86,400 / 3 seconds away
    assert 28_000 <= int(refused.headers["retry-after"]) <= 28_800


def test_invented_sessions_share_the_ceiling_of_their_address(seed_settings, seed_engine):
    with app_with(
        seed_settings,
        seed_engine,
        search_rate_per_minute=1,
        rate_limit_sessions_per_address=3,
    ) as limited:
        codes = [searches(limited, 1, session(f"s{n}"))[0] for n in range(5)]
    assert codes == [200, 200, 200, 429, 429]


def test_a_signed_in_token_has_its_own_limit_and_an_unknown_one_counts_for_nothing(
    seed_settings, seed_engine
):
    with app_with(
        seed_settings,
        seed_engine,
        search_rate_per_minute=1,
        rate_limit_sessions_per_address=1,
        reviewer_token=SecretStr(REVIEWER),
    ) as limited:
        assert searches(limited, 2, session("a")) == [200, 429]
        # the address's ceiling is spent by browser a; the reviewer is counted apart
        signed_in = {"Authorization": f"Bearer {REVIEWER}", **session("a")}
        assert searches(limited, 2, signed_in) == [200, 429]
        # a made-up token is no one: it counts as its session (a), which is spent
        made_up = {"Authorization": "Bearer made-up", **session("a")}
        assert searches(limited, 1, made_up) == [429]


@pytest.mark.parametrize(
    "value", ["short", "x" * 65, "has spaces in it 1234", "<script>1234567890"]
)
def test_a_malformed_session_id_is_ignored(value):
    scope = {"client": ("10.1.2.3", 1), "headers": [(b"x-healthqa-session", value.encode())]}
    assert rate_client(scope, frozenset()) == Client("address:10.1.2.3", "10.1.2.3")


def test_limits_per_minute_and_day_come_from_settings(monkeypatch):
    monkeypatch.setenv("HEALTHQA_ASK_RATE_PER_MINUTE", "30")
    monkeypatch.setenv("HEALTHQA_ASK_RATE_PER_DAY", "500")
    monkeypatch.setenv("HEALTHQA_RATE_LIMIT_SESSIONS_PER_ADDRESS", "40")
    settings = Settings(_env_file=None)
    assert (settings.ask_rate_per_minute, settings.ask_rate_per_day) == (30, 500)
    assert settings.rate_limit_sessions_per_address == 40
    defaults = Settings.model_fields
    assert (
        defaults["search_rate_per_day"].default > 0
        and defaults["feedback_rate_per_day"].default > 0
    )


def test_rotating_sessions_cannot_grow_memory_without_bound(monkeypatch):
    monkeypatch.setattr(TokenBuckets, "MAX_BUCKETS", 100)
    limiter = RateLimit(
        None, paths=("/api/ask",), per_minute=60, per_day=1000, sessions_per_address=1000
    )
    for n in range(1000):
        limiter.check(Client(f"session:s{n:020d}", "10.0.0.1"), now=float(n) / 1000)
    assert all(held <= 100 for held in limiter.buckets_held())


def test_day_buckets_are_forgotten_once_a_day_has_refilled_them():
    limiter = RateLimit(None, paths=("/api/ask",), per_minute=60, per_day=100)
    for n in range(50):
        limiter.check(Client(f"session:s{n:020d}", "10.0.0.1"), now=0.0)
    limiter.check(Client("session:late-comer-000000000", "10.0.0.1"), now=2 * 86_400.0)
    assert limiter.buckets_held() == [1, 1]
