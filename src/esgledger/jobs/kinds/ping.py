"""A job that does nothing but take steps: it shows a worker is consuming the queue
(`esgledger jobs submit ping`), and measures the queue's own cost (benchmarks/jobs_speed.py)."""

from __future__ import annotations

import time
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from esgledger.jobs.context import JobContext
from esgledger.jobs.kinds import JobKind


class PingParams(BaseModel):
    model_config = ConfigDict(extra="forbid")
    steps: int = Field(default=1, ge=1, le=10_000)
    pause_seconds: float = Field(default=0.0, ge=0, le=3600)  # between steps


def run(context: JobContext, params: PingParams) -> dict[str, Any]:
    for step in range(params.steps):
        context.progress(step, params.steps, f"step {step + 1} of {params.steps}")
        time.sleep(params.pause_seconds)
    return {"steps": params.steps}


KIND = JobKind("ping", PingParams, run, reviewers_only=False)
