"""Keeping the synonym groups search applies (同义词组): the writes, and who may make them.

Platform-wide groups belong to the system administrator; an agency's own groups to its 政务公开办公室
(or its administrator). Every write is one transaction with its audit event. Search reads the groups
at each query (selectors.synonym_sets), so there is no cache to invalidate.
"""

from django.db import transaction

from gongkai.audit.services import audit_record
from gongkai.core.roles import Role
from gongkai.core.statemachine import TransitionRefused
from gongkai.organisation.models import Agency, User
from gongkai.search.expand import split_terms, term_errors
from gongkai.search.models import SynonymGroup

MAX_NOTE = 200


def may_keep(actor: User, agency: Agency | None) -> bool:
    """Whether the actor may add, change or delete the groups of `agency` (None: platform-wide)."""
    if not getattr(actor, "is_agency_staff", False):
        return False
    if agency is None:
        return actor.has_role(Role.ADMIN)
    return actor.agency_id == agency.pk and actor.has_role(Role.OFFICE, Role.ADMIN)


def _check(actor: User, agency: Agency | None) -> None:
    if not may_keep(actor, agency):
        if agency is None:
            raise TransitionRefused("平台通用的同义词只能由系统管理员维护。")
        raise TransitionRefused("只能由本机关的政务公开办公室维护本机关的同义词。")


@transaction.atomic
def synonym_group_save(
    *,
    actor: User,
    terms: str,
    agency: Agency | None = None,
    one_way: bool = False,
    note: str = "",
    group: SynonymGroup | None = None,
) -> SynonymGroup:
    """Add a group (group=None) or change one. `terms` as typed: separated by 、，or spaces.
    Raises TransitionRefused (field "terms" or "note") with a Chinese message."""
    if group is not None:
        group = SynonymGroup.objects.select_for_update().get(pk=group.pk)
        agency = group.agency
    _check(actor, agency)
    term_list = split_terms(terms)
    errors = term_errors(term_list)
    if errors:
        raise TransitionRefused(" ".join(errors), field="terms")
    note = (note or "").strip()
    if len(note) > MAX_NOTE:
        raise TransitionRefused(f"说明不超过{MAX_NOTE}个字。", field="note")
    joined = "、".join(term_list)
    same = SynonymGroup.objects.filter(agency=agency, terms=joined)
    if group is not None:
        same = same.exclude(pk=group.pk)
    if same.exists():
        raise TransitionRefused("已有完全相同的同义词组。", field="terms")
    before = group.terms if group is not None else ""
    if group is None:
        group = SynonymGroup(agency=agency)
    group.terms, group.one_way, group.note = joined, bool(one_way), note
    group.save()
    audit_record(
        actor=actor,
        action="synonym_group_save",
        target=group,
        agency=agency,
        comment=joined,
        data={"before": before, "one_way": group.one_way, "note": note},
    )
    return group


@transaction.atomic
def synonym_group_delete(*, actor: User, group: SynonymGroup) -> None:
    group = SynonymGroup.objects.select_for_update().get(pk=group.pk)
    _check(actor, group.agency)
    audit_record(
        actor=actor,
        action="synonym_group_delete",
        target=group,
        agency=group.agency,
        comment=group.terms,
        target_label=group.terms,
    )
    group.delete()
