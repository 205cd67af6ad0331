"""Saving an openpyxl workbook with properties that name only the agency, the title and the time.

openpyxl's own (creator 'openpyxl', an extended-properties Application 'Microsoft Excel Compatible /
Openpyxl 3.1.5', 'modified' stamped with the clock when saving) are replaced. Used by every XLSX the
project makes (the annual report, the demo's sample files).
"""

from __future__ import annotations

import datetime
import io
import zipfile
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape

from openpyxl import Workbook
from openpyxl.writer.excel import ExcelWriter
from openpyxl.xml.constants import ARC_APP

from gongkai.documents.render import _clean

if TYPE_CHECKING:
    from _typeshed import SizedBuffer

_EXTENDED_NS = "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"


def workbook_bytes(wb: Workbook, *, title: str, agency: str, when: datetime.datetime) -> bytes:
    """``wb`` as XLSX bytes: creator and last modified by ``agency``, ``title``, created and modified
    ``when`` (aware; XLSX stores the instant in UTC), the agency as Company and no application name."""
    props = wb.properties
    props.creator = props.lastModifiedBy = _clean(agency)
    props.title = _clean(title)
    props.language = "zh-CN"
    naive_utc = when.astimezone(datetime.UTC).replace(tzinfo=None)
    props.created = props.modified = naive_utc
    out = io.BytesIO()
    # ExcelWriter rather than wb.save(): save() stamps 'modified' with the clock.
    archive = _Archive(out, "w", zipfile.ZIP_DEFLATED, allowZip64=True)
    archive.company = _clean(agency)
    ExcelWriter(wb, archive).save()
    return out.getvalue()


class _Archive(zipfile.ZipFile):
    """The zip being written, with docProps/app.xml naming the agency instead of the library."""

    company = ""

    def writestr(
        self,
        zinfo_or_arcname: str | zipfile.ZipInfo,
        data: SizedBuffer | str,
        compress_type: int | None = None,
        compresslevel: int | None = None,
    ) -> None:
        name = getattr(zinfo_or_arcname, "filename", zinfo_or_arcname)
        if name == ARC_APP:
            data = (
                "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
                f'<Properties xmlns="{_EXTENDED_NS}"><Company>{escape(self.company)}</Company></Properties>'
            ).encode()
        super().writestr(zinfo_or_arcname, data, compress_type, compresslevel)
