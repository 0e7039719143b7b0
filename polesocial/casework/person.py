"""The employee as one social worker recorded them, kept with her referral and case.

Employees are matched silently (ARCHITECTURE.md §2): two workers who record the same
person share one `Employee` row, used for matching and statistics only. What each worker
typed (spelling of the names, contact, household) stays with her own assessment and case,
so that she never sees what a colleague wrote and cannot infer that a colleague knows the
person. Screens and the API show this record, never the shared `Employee` row.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict, dataclass

from polesocial.casework.enums import (
    EmploymentStatus,
    FamilySituation,
    GradeCategory,
    Sex,
    WorkingTime,
)


@dataclass(frozen=True)
class PersonRecord:
    last_name: str
    first_name: str
    birth_date: dt.date
    sex: str = Sex.UNSPECIFIED
    phone: str = ""
    email: str = ""
    address: str = ""
    employer_id: int | None = None
    employer_name: str = ""
    status: str = ""
    category: str = ""
    job: str = ""
    working_time: str = ""
    family_situation: str = ""
    children_count: int = 0

    def __str__(self) -> str:
        return f"{self.last_name.upper()} {self.first_name}"

    @classmethod
    def from_fields(cls, fields: dict) -> PersonRecord:
        """From an assessment form's (or the API's) cleaned data; `employer` is an Employer."""
        employer = fields.get("employer")
        known = {name for name in cls.__dataclass_fields__ if name not in ("employer_id",)}
        values = {k: v for k, v in fields.items() if k in known and v is not None}
        return cls(
            **values,
            employer_id=getattr(employer, "pk", None),
            employer_name=getattr(employer, "name", ""),
        )

    @classmethod
    def from_employee(cls, employee) -> PersonRecord:
        return cls(
            last_name=employee.last_name,
            first_name=employee.first_name,
            birth_date=employee.birth_date,
            sex=employee.sex,
            phone=employee.phone,
            email=employee.email,
            address=employee.address,
            employer_id=employee.employer_id,
            employer_name=employee.employer.name,
            status=employee.status,
            category=employee.category,
            job=employee.job,
            working_time=employee.working_time,
            family_situation=employee.family_situation,
            children_count=employee.children_count,
        )

    def to_json(self) -> str:
        data = asdict(self)
        data["birth_date"] = self.birth_date.isoformat()
        return json.dumps(data, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> PersonRecord:
        data = json.loads(text)
        data["birth_date"] = dt.date.fromisoformat(data["birth_date"])
        return cls(**data)

    # Labels for templates, like a model's get_FOO_display().
    def get_sex_display(self) -> str:
        return _label(Sex, self.sex)

    def get_status_display(self) -> str:
        return _label(EmploymentStatus, self.status)

    def get_category_display(self) -> str:
        return _label(GradeCategory, self.category)

    def get_working_time_display(self) -> str:
        return _label(WorkingTime, self.working_time)

    def get_family_situation_display(self) -> str:
        return _label(FamilySituation, self.family_situation)


def _label(choices, value: str) -> str:
    return dict(choices.choices).get(value, "")
