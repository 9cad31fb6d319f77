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


def run_sql_rule(app_module_file: str, name: str) -> migrations.RunPython:
    """A migration operation that installs (and on reverse removes) the SQL rule ``name`` of an app.

    ``app_module_file`` is the migration's ``__file__``; the app's folder is its parent's parent.
    """
    app_dir = _app_dir(app_module_file)

    def forward(apps, schema_editor):
        for statement in _statements(app_dir, name, schema_editor.connection.vendor, reverse=False):
            schema_editor.execute(statement, params=None)

    def backward(apps, schema_editor):
        for statement in _statements(app_dir, name, schema_editor.connection.vendor, reverse=True):
            schema_editor.execute(statement, params=None)

    return migrations.RunPython(forward, backward, elidable=False)


_TRIGGER_ON = re.compile(r"CREATE\s+TRIGGER\s+\w+\s+(?:BEFORE|AFTER|INSTEAD\s+OF)\s+[\w\s,]+?\bON\s+(\w+)", re.I)


def sqlite_rules_restored(app_module_file: str, names: tuple[str, ...], table: str, *,
                          when: str = "forward") -> migrations.RunPython:
    """The triggers of the rules ``names`` that are on ``table``, made again on SQLite after an operation that
    rebuilt the table: SQLite cannot alter a column, so Django copies the table, and the copy has none of the old
    one's triggers. Nothing on PostgreSQL, which alters in place. ``when="forward"`` goes right after the rebuilding
    operation; ``when="backward"`` right before it, for when the migration is unapplied (the rebuild back drops
    them again)."""
    app_dir = _app_dir(app_module_file)

    def restore(apps, schema_editor):
        if schema_editor.connection.vendor != "sqlite":
            return
        for name in names:
            for statement in _statements(app_dir, name, "sqlite", reverse=False):
                found = _TRIGGER_ON.search(statement)
                if found and found.group(1) == table:
                    schema_editor.execute(statement, params=None)

    if when == "forward":
        return migrations.RunPython(restore, migrations.RunPython.noop, elidable=False)
    return migrations.RunPython(migrations.RunPython.noop, restore, elidable=False)


def sqlite_rule_set_aside(app_module_file: str, name: str) -> tuple[migrations.RunPython, migrations.RunPython]:
    """``(before, after)``: operations around one that rebuilds a table on SQLite, for a rule whose triggers sit on
    *other* tables and name the rebuilt one (SQLite re-reads every trigger when the copy takes the table's name,
    and one naming the table just dropped stops the rename). ``before`` removes the rule's triggers and ``after``
    makes them again; unapplied, each does the other. Nothing on PostgreSQL."""
    app_dir = _app_dir(app_module_file)

    def run(reverse: bool):
        def operation(apps, schema_editor):
            if schema_editor.connection.vendor != "sqlite":
                return
            for statement in _statements(app_dir, name, "sqlite", reverse=reverse):
                schema_editor.execute(statement, params=None)
        return operation

    return (migrations.RunPython(run(reverse=True), run(reverse=False), elidable=False),
            migrations.RunPython(run(reverse=False), run(reverse=True), elidable=False))
