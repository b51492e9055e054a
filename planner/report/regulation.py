"""The model of ``seeds/regulation/exit_plan.yaml``: what regulators ask of an exit plan.

Periods (notice, transition, retrieval), dates (the switching-fee ban), exit scenarios and the
plan elements are data with sources, so a change in the law or its reading is a seed edit.
"""

from __future__ import annotations

import datetime as dt

from pydantic import Field

from planner.models.base import Model
from planner.models.seeds import DateText, SourceRef

SEED = "regulation/exit_plan.yaml"


class Period(Model):
    id: str
    label: str
    text: str = Field(description="the period as the text states it, e.g. '2 months'")
    days: int = Field(gt=0, description="in days, for comparison with the plan's estimates")
    reference: str


class KeyDate(Model):
    id: str
    label: str
    date: DateText
    reference: str


class ExitScenario(Model):
    id: str
    title: str
    reference: str
    window: str = Field(description="'deadline' (the plan's) or the id of a period")
    triggers: list[str] = Field(min_length=1)


class PlanElement(Model):
    id: str
    title: str
    reference: str
    requirement: str
    team: list[str] = Field(min_length=1, description="what the team must complete")


class RegulationSeed(Model):
    as_of: dt.date
    sources: list[SourceRef] = Field(min_length=1)
    periods: list[Period] = Field(min_length=1)
    dates: list[KeyDate] = Field(default_factory=list)
    scenarios: list[ExitScenario] = Field(min_length=1)
    elements: list[PlanElement] = Field(min_length=1)

    def period(self, period_id: str) -> Period | None:
        return next((p for p in self.periods if p.id == period_id), None)
