"""The demo's sample workbook names the agency that made it, not the library (issue 13, point 6)."""

import datetime
import io
import zipfile

import openpyxl
import time_machine

from gongkai.demo.builder import _statistics_xlsx


@time_machine.travel(datetime.datetime(2026, 3, 2, 2, 0, tzinfo=datetime.UTC), tick=False)
def test_the_sample_workbook_names_the_agency_and_its_generation_time():
    data = _statistics_xlsx("示范县人力资源和社会保障局")
    props = openpyxl.load_workbook(io.BytesIO(data)).properties
    assert props.creator == props.lastModifiedBy == "示范县人力资源和社会保障局"
    assert props.created == props.modified == datetime.datetime(2026, 3, 2, 2, 0)  # UTC, as XLSX stores it
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        meta = b"".join(package.read(n) for n in package.namelist() if n.startswith("docProps/"))
    for trace in (b"openpyxl", b"Openpyxl", b"Microsoft"):
        assert trace not in meta
