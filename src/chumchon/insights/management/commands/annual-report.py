"""`chumchon annual-report`: the same command as `chumchon annual_report` (see annual_report.py)."""

from chumchon.insights.management.commands.annual_report import Command

__all__ = ["Command"]
