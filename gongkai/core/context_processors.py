import re

from django.conf import settings


def _psb_record_code(text: str) -> str:
    """The digits of a 公安机关备案号 (“京公网安备 11010502030143号” -> “11010502030143”)."""
    match = re.search(r"(\d{10,})", text)
    return match.group(1) if match else ""


def site(request):
    return {
        "platform_name": settings.GONGKAI_PLATFORM_NAME,
        "large_mode": request.COOKIES.get("display") == "large",
        "site_ids": {
            "sponsor": settings.GONGKAI_SITE_SPONSOR,
            "code": settings.GONGKAI_SITE_CODE,
            "icp": settings.GONGKAI_ICP,
            "psb": settings.GONGKAI_PSB,
            "psb_code": _psb_record_code(settings.GONGKAI_PSB),
        },
    }
