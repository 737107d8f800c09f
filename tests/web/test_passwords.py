"""Passwords are argon2id hashes with argon2-cffi's default (RFC 9106) costs; weak ones are refused."""

from __future__ import annotations

import pytest

from tilfreds.web import passwords


def test_real_hashes_are_argon2id_with_the_default_costs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.undo()  # the real hasher, not the quick one the other web tests use
    stored = passwords.hash_password("correct horse battery")
    assert stored.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
    assert passwords.verify_password(stored, "correct horse battery")
    assert not passwords.verify_password(stored, "correct horse batterY")
    assert not passwords.needs_rehash(stored)


def test_unknown_users_and_broken_hashes_never_verify() -> None:
    assert passwords.verify_password(None, "not a password of anyone") is False
    assert passwords.verify_password("garbage", "anything") is False
    assert passwords.verify_password(passwords.hash_password("x" * 12), "x" * 5000) is False


def test_short_and_huge_passwords_are_refused_with_a_reason() -> None:
    with pytest.raises(passwords.WeakPassword, match="at least 10"):
        passwords.hash_password("short")
    with pytest.raises(passwords.WeakPassword, match="at most"):
        passwords.hash_password("x" * 2000)
