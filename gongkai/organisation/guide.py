"""The agency settings the generated 政府信息公开指南 is made of (plain module, no Django import).

条例 art. 12 asks every agency to publish a guide naming the disclosure office with its address,
phone, fax, postcode and e-mail, the procedure, and the remedies. The guide page is generated from
these settings; an empty one is left out of the public page and listed for the administrators
(the agency's admin page and the guide page as the agency's own staff see it).
"""

from __future__ import annotations

from typing import Any

__all__ = ["GUIDE_ELEMENTS", "missing_guide_elements"]

# (Agency attribute, label): every element of the guide that comes from the agency's settings.
GUIDE_ELEMENTS: tuple[tuple[str, str], ...] = (
    ("disclosure_office", "受理机构"),
    ("address", "办公地址"),
    ("postcode", "邮政编码"),
    ("phone", "咨询电话"),
    ("fax", "传真"),
    ("email", "电子邮箱"),
    ("office_hours", "办公时间"),
    ("complaint_phone", "监督投诉电话"),
    ("reconsideration_body", "行政复议机关"),
    ("court", "管辖法院"),
)


def missing_guide_elements(agency: Any) -> list[str]:
    """The labels of the guide's elements this agency has not set, in the guide's order."""
    return [label for attr, label in GUIDE_ELEMENTS if not str(getattr(agency, attr, "") or "").strip()]
