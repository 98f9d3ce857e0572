"""Double-materiality scores of each topic, computed over whole columns of responses.

For one response and one topic (GRI 3 Section 1; ESRS 1 para 43-49)::

    severity  = mean(scale, scope, irremediability)
    impact    = severity × likelihood / scale max
    financial = magnitude × financial_likelihood / scale max

A response that leaves one of a part's dimensions unrated gives no score for that part.
Each stakeholder group's mean per topic is weighted by the group's weight, normalised over
the groups that scored the topic::

    topic score = Σ_g w_g · mean_g  /  Σ_g w_g

A topic is material when its impact or its financial score reaches a tier's threshold
(ESRS 1 para 28; SSE No.14 Art.5): its tier is the highest one reached by the larger of
the two. The method (scale, weights, thresholds) is data: ``data/method.yaml``.
"""

from __future__ import annotations

import polars as pl

from esgledger.ledger.reads.records import RecordView, records_frame
from esgledger.materiality.model import Method

ANSWER_FIELDS = ("group", "dimensions", "topics", "scores")
SCORE_COLUMNS = ("topic", "impact", "financial", "responses", "tier")


def answers_frame(responses: list[RecordView]) -> pl.DataFrame:
    """One row per rating: response key, group, topic, dimension, score."""
    frame = records_frame(responses, ANSWER_FIELDS)
    if frame.is_empty():
        return pl.DataFrame(
            schema={"key": pl.String, "group": pl.String, "topic": pl.String,
                    "dimension": pl.String, "score": pl.Int64}
        )  # fmt: skip
    position = pl.int_range(pl.len()).over("key")  # of a score within its response
    width = pl.col("dimensions").list.len()
    return (
        frame.explode("scores")
        .with_columns(position.alias("at"))
        .drop_nulls("scores")
        .select(
            "key",
            "group",
            pl.col("topics").list.get(pl.col("at") // width).alias("topic"),
            pl.col("dimensions").list.get(pl.col("at") % width).alias("dimension"),
            pl.col("scores").cast(pl.Int64).alias("score"),
        )
    )


def response_scores(answers: pl.DataFrame, method: Method) -> pl.DataFrame:
    """Per response and topic: its impact and financial score (null when not rated)."""
    top = float(method.scale.max)
    dims = [d for part in method.dimensions.values() for d in part]
    wide = answers.pivot(on="dimension", index=["key", "group", "topic"], values="score")
    for dim in dims:
        if dim not in wide.columns:
            wide = wide.with_columns(pl.lit(None, dtype=pl.Int64).alias(dim))
    scale, scope, irremediability, likelihood = method.dimensions["impact"]
    magnitude, financial_likelihood = method.dimensions["financial"]
    severity = (pl.col(scale) + pl.col(scope) + pl.col(irremediability)) / 3.0
    return wide.select(
        "key",
        "group",
        "topic",
        (severity * pl.col(likelihood) / top).alias("impact"),
        (pl.col(magnitude) * pl.col(financial_likelihood) / top).alias("financial"),
    )


def group_scores(per_response: pl.DataFrame) -> pl.DataFrame:
    """Per group and topic: the mean impact and financial score and the responses behind."""
    return per_response.group_by("group", "topic").agg(
        pl.col("impact").mean(),
        pl.col("financial").mean(),
        pl.len().alias("responses"),
    )


def topic_scores(per_group: pl.DataFrame, method: Method) -> pl.DataFrame:
    """Per topic: the group means weighted by the groups' weights, and the tier."""
    weights = pl.DataFrame(
        {
            "group": [g.id for g in method.stakeholder_groups],
            "weight": [g.weight for g in method.stakeholder_groups],
        }
    )
    joined = per_group.join(weights, on="group", how="left")

    def weighted(column: str) -> pl.Expr:
        has = pl.col(column).is_not_null()
        total = pl.when(has).then(pl.col("weight")).otherwise(0.0).sum()
        return (
            pl.when(total > 0)
            .then((pl.col(column).fill_null(0.0) * pl.col("weight")).sum() / total)
            .otherwise(None)
            .alias(column)
        )

    scores = joined.group_by("topic").agg(
        weighted("impact"), weighted("financial"), pl.col("responses").sum()
    )
    return scores.with_columns(tier_of(method)).sort("topic")


def tier_of(method: Method) -> pl.Expr:
    """The tier id of each topic: the highest whose threshold the larger score reaches."""
    larger = pl.max_horizontal(pl.col("impact").fill_null(0.0), pl.col("financial").fill_null(0.0))
    expression = pl.lit(method.not_material.id)
    for tier in reversed(method.tiers):  # the highest tier is applied last, so it wins
        expression = pl.when(larger >= tier.min).then(pl.lit(tier.id)).otherwise(expression)
    return expression.alias("tier")


def score_responses(responses: list[RecordView], method: Method) -> pl.DataFrame:
    """Topic scores of a year's responses: topic, impact, financial, responses, tier."""
    per_response = response_scores(answers_frame(responses), method)
    return topic_scores(group_scores(per_response), method).select(SCORE_COLUMNS)


def movement(current: pl.DataFrame, previous: pl.DataFrame) -> pl.DataFrame:
    """The current scores beside last year's: change of each score and the earlier tier."""
    earlier = previous.select(
        "topic",
        pl.col("impact").alias("impact_before"),
        pl.col("financial").alias("financial_before"),
        pl.col("tier").alias("tier_before"),
    )
    return current.join(earlier, on="topic", how="left").with_columns(
        (pl.col("impact") - pl.col("impact_before")).alias("impact_change"),
        (pl.col("financial") - pl.col("financial_before")).alias("financial_change"),
    )
