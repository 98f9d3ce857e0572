"""The column names of the long layout and the marker of esgledger's wide template."""

from __future__ import annotations

TEMPLATE_MARK = "esgledger template v1"
# In a template's marker row, over a column the importer skips: a note beside the figures
# (the problems an error file writes beside each row), never a period or an entity.
NOTE_MARK = "esgledger note"
# Sheets that hold words for people, not rows: instructions, the error file's list.
SKIPPED_SHEETS = ("readme", "说明", "instructions", "import errors", "导入错误")

LONG_COLUMNS = ("entity", "period", "indicator", "value", "unit", "comment", "quality")
REQUIRED_COLUMNS = ("entity", "period", "indicator", "value")

# Headers people write in Chinese or with other casing map onto the long layout's columns.
HEADER_ALIASES = {
    "entity": "entity",
    "entity code": "entity",
    "实体": "entity",
    "单位代码": "entity",
    "企业": "entity",
    "period": "period",
    "期间": "period",
    "年份": "period",
    "indicator": "indicator",
    "indicator id": "indicator",
    "指标": "indicator",
    "指标代码": "indicator",
    "value": "value",
    "数值": "value",
    "值": "value",
    "unit": "unit",
    "单位": "unit",
    "comment": "comment",
    "备注": "comment",
    "note": "comment",
    "quality": "quality",
    "数据质量": "quality",
}

# Fixed columns of a wide template sheet, before the period (or entity) columns.
WIDE_FIXED = ("indicator", "name_en", "name_zh", "unit")
WIDE_HEADERS = ("indicator", "Indicator (English)", "指标名称", "unit / 单位")

# modeled: not observed at all but produced by a model (an apportioned total, a demo value);
# the engine does not count it as estimated, a report marks such figures itself.
QUALITY_TIERS = ("measured", "calculated", "estimated", "modeled")


def canonical_header(text: object) -> str | None:
    """The long-layout column a header cell names, or None for a column we ignore."""
    if text is None:
        return None
    return HEADER_ALIASES.get(str(text).strip().lower())
