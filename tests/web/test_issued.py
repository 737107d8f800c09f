"""New links are kept in memory for one hour, for the session that made them, and then forgotten."""

from __future__ import annotations

from tilfreds.web.issued import IssuedLink, IssuedLinks


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_links_are_for_their_session_and_only_for_an_hour() -> None:
    clock = Clock()
    store = IssuedLinks(ttl=3600, clock=clock)
    links = [IssuedLink("https://t.me/Bot?start=abc", None, 1)]
    store.put(7, "session-a", "citizen", {"benefit": "fleksjob"}, links)
    found = store.get(7, "session-a")
    assert found is not None and found.links == tuple(links) and found.segments == {"benefit": "fleksjob"}
    assert store.get(7, "session-b") is None
    assert store.get(8, "session-a") is None
    clock.now += 3599
    assert store.get(7, "session-a") is not None
    clock.now += 2
    assert store.get(7, "session-a") is None
