"""Rules the database keeps even when Python is bypassed: SQL files run by migrations, one per backend.

Each rule lives in ``<app>/sql/<name>.<vendor>.sql`` with its reverse in ``<name>.<vendor>.reverse.sql``
(vendor is ``sqlite`` or ``postgresql``), so the raw SQL is readable on its own and reviewed like code.
"""

import re
from pathlib import Path

import sqlparse
from django.db import migrations


def _statements(app_dir: Path, name: str, vendor: str, *, reverse: bool) -> list[str]:
    suffix = ".reverse.sql" if reverse else ".sql"
    path = app_dir / "sql" / f"{name}.{vendor}{suffix}"
    if not path.exists():
        raise FileNotFoundError(f"no {vendor} SQL for rule {name!r}: {path}")
    return [s for s in sqlparse.split(path.read_text()) if s.strip().rstrip(";").strip()]


def _app_dir(migration_file: str) -> Path:
    """The app's folder, from one of its migrations' ``__file__``."""
    return Path(migration_file).resolve().parent.parent


def _rule_runner(app_dir: Path, name: str, *, reverse: bool, only_vendor: str | None = None,
                 only_table: str | None = None):
    """A ``RunPython`` function running rule ``name``'s SQL (its reverse when ``reverse``) for the connection's
    vendor; nothing on another vendor than ``only_vendor``; with ``only_table``, only its triggers on that table."""

    def run(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        if only_vendor is not None and vendor != only_vendor:
            return
        for statement in _statements(app_dir, name, vendor, reverse=reverse):
            if only_table is not None:
                found = _TRIGGER_ON.search(statement)
                if not (found and found.group(1) == only_table):
                    continue
            schema_editor.execute(statement, params=None)

    return run


_TRIGGER_ON = re.compile(r"CREATE\s+TRIGGER\s+\w+\s+(?:BEFORE|AFTER|INSTEAD\s+OF)\s+[\w\s,]+?\bON\s+(\w+)", re.I)


def run_sql_rule(app_module_file: str, name: str) -> migrations.RunPython:
    """A migration operation that installs (and on reverse removes) the SQL rule ``name`` of an app.

    ``app_module_file`` is the migration's ``__file__``; the app's folder is its parent's parent.
    """
    app_dir = _app_dir(app_module_file)
    return migrations.RunPython(_rule_runner(app_dir, name, reverse=False), _rule_runner(app_dir, name, reverse=True),
                                elidable=False)


def sqlite_rules_restored(app_module_file: str, names: tuple[str, ...], table: str, *,
                          when: str = "forward") -> migrations.RunPython:
    """The triggers of the rules ``names`` that are on ``table``, made again on SQLite after an operation that
    rebuilt the table: SQLite cannot alter a column, so Django copies the table, and the copy has none of the old
    one's triggers. Nothing on PostgreSQL, which alters in place. ``when="forward"`` goes right after the rebuilding
    operation; ``when="backward"`` right before it, for when the migration is unapplied (the rebuild back drops
    them again)."""
    app_dir = _app_dir(app_module_file)
    runners = [_rule_runner(app_dir, name, reverse=False, only_vendor="sqlite", only_table=table) for name in names]

    def restore(apps, schema_editor):
        for runner in runners:
            runner(apps, schema_editor)

    if when == "forward":
        return migrations.RunPython(restore, migrations.RunPython.noop, elidable=False)
    return migrations.RunPython(migrations.RunPython.noop, restore, elidable=False)


def sqlite_rule_set_aside(app_module_file: str, name: str) -> tuple[migrations.RunPython, migrations.RunPython]:
    """``(before, after)``: operations around one that rebuilds a table on SQLite, for a rule whose triggers sit on
    *other* tables and name the rebuilt one (SQLite re-reads every trigger when the copy takes the table's name,
    and one naming the table just dropped stops the rename). ``before`` removes the rule's triggers and ``after``
    makes them again; unapplied, each does the other. Nothing on PostgreSQL."""
    app_dir = _app_dir(app_module_file)
    drop = _rule_runner(app_dir, name, reverse=True, only_vendor="sqlite")
    make = _rule_runner(app_dir, name, reverse=False, only_vendor="sqlite")
    return (migrations.RunPython(drop, make, elidable=False), migrations.RunPython(make, drop, elidable=False))
