"""Rules the database keeps even when Python is bypassed: SQL files run by migrations, one per backend.

Each rule lives in ``<app>/sql/<name>.<vendor>.sql`` with its reverse in ``<name>.<vendor>.reverse.sql``
(vendor is ``sqlite`` or ``postgresql``), so the raw SQL is readable on its own and reviewed like code.
"""

from pathlib import Path

import sqlparse
from django.db import migrations


def _statements(app_dir: Path, name: str, vendor: str, *, reverse: bool) -> list[str]:
    suffix = ".reverse.sql" if reverse else ".sql"
    path = app_dir / "sql" / f"{name}.{vendor}{suffix}"
    if not path.exists():
        raise FileNotFoundError(f"no {vendor} SQL for rule {name!r}: {path}")
    return [s for s in sqlparse.split(path.read_text()) if s.strip().rstrip(";").strip()]


def run_sql_rule(app_module_file: str, name: str) -> migrations.RunPython:
    """A migration operation that installs (and on reverse removes) the SQL rule ``name`` of an app.

    ``app_module_file`` is the migration's ``__file__``; the app's folder is its parent's parent.
    """
    app_dir = Path(app_module_file).resolve().parent.parent

    def forward(apps, schema_editor):
        for statement in _statements(app_dir, name, schema_editor.connection.vendor, reverse=False):
            schema_editor.execute(statement, params=None)

    def backward(apps, schema_editor):
        for statement in _statements(app_dir, name, schema_editor.connection.vendor, reverse=True):
            schema_editor.execute(statement, params=None)

    return migrations.RunPython(forward, backward, elidable=False)
