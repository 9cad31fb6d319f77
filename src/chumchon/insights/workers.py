"""Forked worker processes for the synthetic country (``chumchon synth --workers N``).

Each job is a function returning a JSON-able dict; it runs in a process of its own with its own database
connection. Only on PostgreSQL (SQLite has one writer at a time) and outside a transaction (the workers must see
what the parent committed, and the parent must see what they commit)."""

import json
import os
import sys
import traceback
from collections.abc import Callable

from django.db import connection, connections


def check_can_fork() -> None:
    from chumchon.insights.synth import SynthError

    if connection.vendor != "postgresql":
        raise SynthError("workers", "สร้างหลายกระบวนการพร้อมกันได้เฉพาะบน PostgreSQL",
                         "several workers need PostgreSQL (SQLite has one writer at a time)")
    if connection.in_atomic_block:
        raise SynthError("workers", "สร้างหลายกระบวนการภายในธุรกรรมไม่ได้", "workers cannot run inside a transaction")


def run_forked(jobs: list[Callable[[], dict]]) -> list[dict]:
    """Run every job in a forked process at once and return their results in order; when any fails, raise the
    first failure (with the worker's traceback) after all have ended."""
    from chumchon.insights.synth import SynthError

    check_can_fork()
    connections.close_all()  # every worker opens its own connection
    sys.stdout.flush()
    sys.stderr.flush()
    children = []
    for job in jobs:
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:  # the worker
            os.close(read)
            code = 1
            try:
                os.write(write, json.dumps(job()).encode())
                code = 0
            except BaseException:  # noqa: BLE001 - reported by the parent as the worker's failure
                os.write(write, json.dumps({"error": traceback.format_exc()[-2000:]}).encode())
            finally:
                os.close(write)
                connections.close_all()
                sys.stdout.flush()
                sys.stderr.flush()
                os._exit(code)
        os.close(write)
        children.append((pid, read))
    results, failures = [], []
    for pid, read in children:
        with os.fdopen(read, "rb") as pipe:
            data = pipe.read()
        _, status = os.waitpid(pid, 0)
        part = json.loads(data or b"{}")
        if status != 0 or "error" in part:
            failures.append(part.get("error", f"worker {pid} exited with status {status}"))
        results.append(part)
    if failures:
        raise SynthError("workers", f"กระบวนการสร้างข้อมูลล้มเหลว {len(failures)} ตัว",
                         f"{len(failures)} worker(s) failed: {failures[0]}")
    return results
