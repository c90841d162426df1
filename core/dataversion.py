"""Data versions: a counter in the shared cache per *scope* (a set of tables), moved on every write to one
of its tables, so that anything computed from those tables can be cached under the version it was
computed at and is never served after a write (issue 20).

    # one line per reader, in its AppConfig.ready(): models or whole apps (app labels)
    dataversion.register("dashboard", "experts", "enterprises", "projects", "terms", "subsidies", "awards")

    html = dataversion.cached("dashboard", f"dashboard:{year}:{lang}", lambda: render(...))

How writes are seen: every database connection gets an execute wrapper (installed when the connection is
opened) that looks at each statement for `INSERT INTO t` / `UPDATE t` / `DELETE FROM t` / `TRUNCATE t`.
So ORM saves, `QuerySet.update()`, `bulk_create`, deletes and raw SQL through Django's cursor all count;
SQL sent around Django (a psycopg connection of its own, COPY) would not.

- outside a transaction the statement has committed when it returns: the scope moves at once;
- inside one it moves at once (so this transaction's own later reads miss the cache) *and again after
  the commit* (`on_commit`): a request that read between the first move and the commit cached the old
  rows under the first new version, never under the one after the commit;
- a value computed inside a transaction that has uncommitted writes to the scope is stored under a key
  of that transaction only (it may still roll back), renewed by each further write.

Versions live in the shared cache (Redis in production) without expiry; a lost key starts again from
the clock in microseconds, so it never comes back to a value an old entry was stored under.
"""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Callable

from django.apps import apps
from django.core.cache import cache
from django.db import connections
from django.db.backends.signals import connection_created

logger = logging.getLogger(__name__)
PREFIX = "dv:"
ENTRY_TIMEOUT = 24 * 3600  # entries of old versions are never read again; they just expire
_registry: dict[str, set] = {}  # scope → model classes and app labels
_tables: dict[str, frozenset[str]] | None = None  # table → scopes (built on first use)

_WRITE = re.compile(r'\b(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM|TRUNCATE(?:\s+TABLE)?)\s+"?(\w+)"?', re.I)
_QUOTED = re.compile(r'"(\w+)"')  # TRUNCATE "a", "b", … names several tables


def register(scope: str, *targets) -> None:
    """Cache under `scope` what is computed from `targets`: model classes or app labels (every model of
    the app). Call it in AppConfig.ready() so every process — web and worker — knows the tables."""
    global _tables
    _registry.setdefault(scope, set()).update(targets)
    _tables = None


def is_registered(scope: str) -> bool:
    return scope in _registry


def _table_map() -> dict[str, frozenset[str]]:
    global _tables
    if _tables is None:
        out: dict[str, set[str]] = {}
        for scope, targets in _registry.items():
            for target in targets:
                models = apps.get_app_config(target).get_models() if isinstance(target, str) else [target]
                for model in models:
                    out.setdefault(model._meta.db_table, set()).add(scope)
        _tables = {t: frozenset(s) for t, s in out.items()}
    return _tables


def scopes_written(sql: str) -> set[str]:
    """The scopes whose tables `sql` writes (empty for reads, and for tables nobody caches)."""
    if not isinstance(sql, str):
        sql = str(sql)
    head = sql.lstrip()[:9].upper()
    # a write statement starts with its verb, or with WITH (a CTE) — SELECT … FOR UPDATE is a read
    if not head.startswith(("INSERT", "UPDATE", "DELETE", "TRUNCATE", "WITH")):
        return set()
    table_map = _table_map()
    found: set[str] = set()
    names = _QUOTED.findall(sql) if head.startswith("TRUNCATE") else _WRITE.findall(sql)
    for table in names:
        found |= table_map.get(table, frozenset())
    return found


def _key(scope: str) -> str:
    return f"{PREFIX}{scope}"


def _fresh() -> int:
    return time.time_ns() // 1000


def version(scope: str) -> int:
    """The current version of `scope` (created when missing). Raises when the cache is unreachable."""
    value = cache.get(_key(scope))
    if value is None:
        cache.add(_key(scope), _fresh(), timeout=None)
        value = cache.get(_key(scope))
    return int(value)


def bump(*scopes: str) -> None:
    """Move `scopes` on. A cache that cannot be reached never fails the write that asked (nothing can be
    read from it either while it is down); it is logged, since entries it still holds after it comes
    back are not moved on until the next write (at most ENTRY_TIMEOUT)."""
    for scope in scopes:
        try:
            try:
                cache.incr(_key(scope))
            except ValueError:  # no such key: start from the clock (beyond any version ever handed out)
                cache.set(_key(scope), _fresh(), timeout=None)
        except Exception:
            logger.exception("data version %s not moved on: the cache is unreachable", scope)


def bump_all() -> None:
    """Move every registered scope (tests call it before each test: their rolled-back rows must not
    leave cached pages behind)."""
    bump(*_registry)


class _AfterCommit:
    """The on_commit callback of one transaction's writes to `scopes`. It also names the transaction's
    private cache entries (`token`, and `generation`, counted up by each later write to the scope)."""

    def __init__(self, scopes: set[str]):
        self.scopes = set(scopes)
        self.token = uuid.uuid4().hex[:12]
        self.generation = 0

    def __call__(self) -> None:
        bump(*self.scopes)


def _pending(connection) -> dict[str, _AfterCommit]:
    """Scope → callback, for the scopes written by the current (uncommitted) transaction of `connection`.
    Kept on the connection beside the on_commit list it was read from (Django replaces that list at each
    commit, rollback and savepoint rollback, so a new list means a new scan)."""
    hooks = connection.run_on_commit
    memo = getattr(connection, "_dataversion_pending", None)
    if memo is not None and memo[0] is hooks:
        return memo[1]
    out: dict[str, _AfterCommit] = {}
    for entry in hooks:
        func = entry[1]
        if isinstance(func, _AfterCommit):
            for scope in func.scopes:
                out[scope] = func
    connection._dataversion_pending = (hooks, out)
    return out


def _written(connection, scopes: set[str]) -> None:
    if not connection.in_atomic_block:
        bump(*scopes)
        return
    pending = _pending(connection)
    for scope in scopes & pending.keys():
        pending[scope].generation += 1
    new = scopes - pending.keys()
    if new:
        bump(*new)
        hook = _AfterCommit(new)
        connection.on_commit(hook)
        if connection.run_on_commit and connection.run_on_commit[-1][1] is hook:
            for scope in new:
                pending[scope] = hook
            connection._dataversion_pending = (connection.run_on_commit, pending)


def _execute_wrapper(execute, sql, params, many, context):
    result = execute(sql, params, many, context)
    if _registry:
        scopes = scopes_written(sql)
        if scopes:
            _written(context["connection"], scopes)
    return result


def install(connection) -> None:
    """Watch `connection`'s statements (first in the chain, so other wrappers' context managers, which
    pop the last one, never remove it)."""
    if _execute_wrapper not in connection.execute_wrappers:
        connection.execute_wrappers.insert(0, _execute_wrapper)


def _on_connection_created(sender, connection, **kwargs):
    install(connection)


def connect() -> None:
    connection_created.connect(_on_connection_created, dispatch_uid="core.dataversion")
    for conn in connections.all(initialized_only=True):
        install(conn)


def cached(scope: str, key: str, compute: Callable[[], object], *, using: str = "default",
           timeout: int = ENTRY_TIMEOUT):
    """`compute()` cached under the current version of `scope`: one round trip to the cache on a hit (the
    version and the entry are read together; the entry carries the version it was computed at).

    Inside a transaction that has written to the scope, the entry is the transaction's own (its key names
    the transaction and the count of its writes): it holds uncommitted rows, which no other request may
    see, and which a rollback would take back. `timeout`: how long an entry may sit unread (shorter for
    keys of many values, such as one per query string)."""
    connection = connections[using]
    suffix = ""
    if connection.in_atomic_block:
        hook = _pending(connection).get(scope)
        if hook is not None:
            suffix = f":tx{hook.token}.{hook.generation}"
    vkey, ekey = _key(scope), f"{PREFIX}{scope}:{key}{suffix}"
    try:
        got = cache.get_many([vkey, ekey])
        current = got.get(vkey)
        if current is None:
            current = version(scope)
    except Exception:  # the cache is down: compute, as without it
        logger.warning("data version %s unreadable: computed without the cache", scope)
        return compute()
    entry = got.get(ekey)
    if entry is not None and entry[0] == current:
        return entry[1]
    value = compute()
    try:
        cache.set(ekey, (current, value), timeout=timeout)
    except Exception:
        logger.warning("data version %s: the value could not be stored", scope)
    return value
