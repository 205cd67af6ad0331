"""Staff roles (DESIGN.md §1). Plain module: no Django import."""

from enum import StrEnum


class Role(StrEnum):
    CLERK = "clerk"
    DEPT_HEAD = "dept_head"
    SECRECY_REVIEWER = "secrecy"
    LEADER = "leader"
    OFFICE = "office"
    LEADING_GROUP = "leading_group"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"
    SECURITY_ADMIN = "security_admin"
    AUDITOR = "auditor"

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]


ROLE_LABELS: dict[Role, str] = {
    Role.CLERK: "股室经办人",
    Role.DEPT_HEAD: "股室负责人",
    Role.SECRECY_REVIEWER: "保密审查员",
    Role.LEADER: "局领导",
    Role.OFFICE: "政务公开办公室",
    Role.LEADING_GROUP: "政务公开领导小组",
    Role.SUPERVISOR: "监督员",
    Role.ADMIN: "系统管理员",
    Role.SECURITY_ADMIN: "安全保密管理员",
    Role.AUDITOR: "安全审计员",
}

# Roles whose work is tied to one department (股室); the others act agency-wide.
DEPARTMENT_SCOPED_ROLES = frozenset({Role.CLERK, Role.DEPT_HEAD})

# 三员分立 (GB/T 22239-2019 level 2, 8.1.4.2 and 8.1.10.x: administrator, security administrator and
# auditor are separate people). The system administrator keeps agencies, departments, accounts and
# the calendar; the security administrator assigns roles, resets second factors and unlocks
# accounts; the security auditor reads the audit log. No person holds two of the three, and a
# platform superuser (Django admin) counts as a system administrator.
THREE_OFFICERS = (Role.ADMIN, Role.SECURITY_ADMIN, Role.AUDITOR)

# Roles that unmask personal data (the staff handling a request: clerk and department head of the
# department, office, leader, confidentiality reviewer; gongkai.applications.services.handles_case)
# or sign off / approve (department head, confidentiality reviewer, leader, leading group), plus the
# three officers: a second factor is required of them unless GONGKAI_2FA_REQUIRED is off. The
# supervisor neither unmasks nor signs off, so for them it is optional.
SECOND_FACTOR_ROLES = frozenset(
    {
        Role.CLERK,
        Role.DEPT_HEAD,
        Role.SECRECY_REVIEWER,
        Role.LEADER,
        Role.OFFICE,
        Role.LEADING_GROUP,
        *THREE_OFFICERS,
    }
)


def officer_conflicts(roles: frozenset[Role], *, superuser: bool = False) -> list[Role]:
    """The 三员 roles held together that must not be: [] when at most one of them is held.

    ``superuser`` (a Django-admin account) counts as holding Role.ADMIN. Returns the held officer
    roles in THREE_OFFICERS order when two or more are held.
    """
    held = [role for role in THREE_OFFICERS if role in roles or (superuser and role is Role.ADMIN)]
    return held if len(held) > 1 else []


def second_factor_required(
    roles: frozenset[Role], *, superuser: bool, required: bool, required_roles: frozenset[Role]
) -> bool:
    """Whether an account must pass a second factor to sign in.

    ``required`` is the GONGKAI_2FA_REQUIRED switch (off: always optional); a superuser or Django
    admin account (``superuser``) is always required while the switch is on; otherwise any held role
    in ``required_roles`` (default SECOND_FACTOR_ROLES) requires it.
    """
    if not required:
        return False
    return superuser or bool(roles & required_roles)
