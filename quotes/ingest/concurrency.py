"""What lets several ingests write at once: a lock for the short entity-resolution phase
and get-or-create that survives a concurrent insert."""
from __future__ import annotations


from django.db import IntegrityError, connection, transaction



ENTITY_LOCK_KEY = 0x51_75_6F_74  # "Quot"


def lock_entity_writes() -> None:
    """Serialise speaker/organisation resolution across processes until this transaction ends.

    Speaker identity is fuzzy ("Sergei"/"Sergey", a bare surname), so no unique constraint can
    stop two ingests from each creating the same new person; holding one transaction-scoped
    advisory lock while an article's entities are resolved and stored does. Only the short
    write phase is serialised; parsing stays parallel. Taken before any insert, so it cannot
    deadlock with row locks. SQLite needs nothing: its write transactions are serial already
    (BEGIN IMMEDIATE).
    """
    if connection.vendor == "postgresql" and connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [ENTITY_LOCK_KEY])


def get_or_create_safely(model, defaults: dict | None = None, attempts: int = 3, absent: bool = False, **lookup):
    """`get_or_create` that survives a concurrent insert of the same row.

    The insert runs in a savepoint, so an IntegrityError from a unique constraint leaves the
    surrounding article transaction usable; the row the other process committed is then read.
    `absent=True` says the caller has just read that no such row exists, so the first read is
    skipped (a row inserted meanwhile still surfaces as the IntegrityError and is read then).
    Returns (object, created).
    """
    for attempt in range(attempts):
        obj = None if absent and attempt == 0 else model.objects.filter(**lookup).first()
        if obj is not None:
            return obj, False
        try:
            with transaction.atomic():
                return model.objects.create(**lookup, **(defaults or {})), True
        except IntegrityError:
            if attempt == attempts - 1:
                raise
    raise AssertionError("unreachable")


