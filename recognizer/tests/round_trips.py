"""Counting Redis round trips: every command or pipeline a client sends is one packed send."""
from redis.connection import AbstractConnection


def count_round_trips(monkeypatch, action):
    """(round trips `action()` made, what it returned)."""
    sent = []
    original = AbstractConnection.send_packed_command

    def counting(self, command, check_health=True):
        sent.append(1)
        return original(self, command, check_health)

    monkeypatch.setattr(AbstractConnection, "send_packed_command", counting)
    try:
        result = action()
    finally:
        monkeypatch.undo()
    return len(sent), result
