"""The demo's cast: one agency's department and its named staff accounts."""

from dataclasses import dataclass, field

from gongkai.organisation.models import Agency, Department, User


@dataclass
class Cast:
    agency: Agency
    department: Department
    people: dict[str, User] = field(default_factory=dict)

    def __getitem__(self, key: str) -> User:
        return self.people[key]
