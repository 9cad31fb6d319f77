"""A whole fund in one archive (zip: JSON files and the claims' evidence), to move it to another Chumchon
instance or hand it over when it leaves. See docs/archive.md.

    fund_export(actor=user, fund=fund, path_or_file="A-001.zip")   # -> summary
    fund_import(actor=user, path_or_file="A-001.zip")              # -> summary; ArchiveRefused when not imported
"""

from chumchon.dataio.archive.common import FORMAT, VERSION, ArchiveRefused, ArchiveUnreadable, Problem
from chumchon.dataio.archive.export import fund_export, may_export
from chumchon.dataio.archive.load import fund_import

__all__ = ["FORMAT", "VERSION", "ArchiveRefused", "ArchiveUnreadable", "Problem", "fund_export", "fund_import",
           "may_export"]
