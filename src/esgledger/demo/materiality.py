"""The demo group's double-materiality assessments (2023 and 2024), from
``data/materiality/assessments.yaml``.

The topics are the reference report's, saved per year. Survey links are issued through
:func:`esgledger.materiality.survey.issue_survey_links` with a throwaway key (the demo's
links are not meant to be answered again), and the answered ones are recorded as a survey
tool's export would be: the links marked used and the responses appended in bulk, one audit
entry each. Ratings are drawn (seeded) around the profile of each topic's level.
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta
from importlib.resources import files
from pathlib import Path
from typing import Any

import numpy as np
import yaml
from sqlalchemy import Engine

from esgledger.auth.links import USED_REGISTER, verify_link
from esgledger.ledger.database import unit_of_work
from esgledger.ledger.records import RecordChange, append_records
from esgledger.materiality.model import Method, Topic, load_method
from esgledger.materiality.survey import PURPOSE, RESPONSES, issue_survey_links
from esgledger.materiality.topics import save_topics

SPREAD = 0.7  # standard deviation of one rating around its topic's mean
TOPIC_SPREAD = 0.1  # of a topic's mean around its level's profile (topics of a tier differ)


def assessment_file() -> Path:
    return Path(str(files("esgledger.demo") / "data" / "materiality" / "assessments.yaml"))


def load_demo_materiality(database: Engine, actor: str) -> int:
    """Topics, links and responses of both demo years; returns the responses written."""
    data = yaml.safe_load(assessment_file().read_text(encoding="utf-8"))
    method = load_method()
    rng = np.random.default_rng(data["seed"])
    written = 0
    for year in sorted(data["responses"]):
        level_key = "level" if year == max(data["responses"]) else f"level_{year}"
        topics = [_topic(t, data["source"]) for t in data["topics"]]
        levels = [t[level_key] for t in data["topics"]]
        offsets = rng.normal(0.0, TOPIC_SPREAD, (len(topics), 1))
        with unit_of_work(database) as session:
            save_topics(session, year, topics, actor=actor)
            for group, (answered, issued) in data["responses"][year].items():
                changes = _group_responses(
                    session, rng, method, data["profiles"], topics, levels, offsets,
                    year=year, group=group, answered=answered, issued=issued, actor=actor,
                )  # fmt: skip
                written += len(changes)
    return written


def _topic(entry: dict[str, Any], source: str) -> Topic:
    fields = {k: v for k, v in entry.items() if not k.startswith("level")}
    return Topic.model_validate({"source": source, **fields})


def _group_responses(
    session, rng, method: Method, profiles, topics, levels, offsets, *, year, group,
    answered, issued, actor,
) -> list[RecordChange]:  # fmt: skip
    """Issue the group's links, answer ``answered`` of them, and record both."""
    key = secrets.token_bytes(32)
    now = datetime(year, 11, 1, tzinfo=UTC)
    tokens = issue_survey_links(
        session, key, year=year, group=group, count=issued, lang="zh",
        valid_for=timedelta(days=30), now=now, actor=actor,
    )  # fmt: skip
    link_ids = [verify_link(key, token, PURPOSE, now).id for token in tokens[:answered]]
    dims = method.asked(group)
    means = np.array([[profiles[level][d] for d in dims] for level in levels]) + offsets
    ratings = np.clip(np.rint(rng.normal(means, SPREAD, (answered, *means.shape))), 1, 5)
    topic_ids = [t.id for t in topics]
    changes = [
        RecordChange(
            link_id,
            {
                "year": year,
                "group": group,
                "dimensions": dims,
                "topics": topic_ids,
                "scores": one.ravel().tolist(),
            },
            expected_version=0,
        )
        for link_id, one in zip(link_ids, ratings.astype(int), strict=True)
    ]
    used = [RecordChange(i, {"purpose": PURPOSE}, expected_version=0) for i in link_ids]
    append_records(session, USED_REGISTER, used, actor="survey", action="link_used")
    append_records(session, RESPONSES, changes, actor="survey", action="materiality.response")
    return changes
