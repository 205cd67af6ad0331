"""Reads for the confidentiality review of a reply (保密审查提示); rules in gongkai.core.review_findings."""

from gongkai.applications.models import Application
from gongkai.core.review_findings import Part, ReviewFinding, review_findings


def reply_findings(application: Application) -> list[ReviewFinding]:
    """Personal data in the reply draft: its text and the note on what is withheld and why."""
    return review_findings(
        [Part("答复内容", application.reply_text), Part("不予公开部分及理由", application.withheld_note)]
    )
