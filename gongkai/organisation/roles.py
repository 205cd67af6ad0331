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
}

# Roles whose work is tied to one department (股室); the others act agency-wide.
DEPARTMENT_SCOPED_ROLES = frozenset({Role.CLERK, Role.DEPT_HEAD})
