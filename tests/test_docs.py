"""The docs keep up with the code: every command and every factor dataset is documented."""

from __future__ import annotations

import re
from dataclasses import fields
from pathlib import Path

from esgledger.cli.main import app
from esgledger.factors import load_factor_sets
from esgledger.ledger.imports.limits import ImportLimits
from esgledger.settings import Settings

DOCS = Path(__file__).resolve().parents[1] / "docs"


def _command_names() -> list[str]:
    names = [c.name for c in app.registered_commands]
    for group in app.registered_groups:
        names += [f"{group.name} {c.name}" for c in group.typer_instance.registered_commands]
    return names


def test_every_factor_dataset_is_on_the_methodology_page():
    page = (DOCS / "methodology.md").read_text(encoding="utf-8")
    missing = [d.name for d in load_factor_sets().datasets() if d.name not in page]
    assert missing == []


def test_every_import_limit_is_in_the_user_guide_with_its_default():
    guide = (DOCS / "user-guide.md").read_text(encoding="utf-8")
    limits = {n: f for n, f in Settings.model_fields.items() if n.startswith("import_")}
    assert len(limits) == len(fields(ImportLimits))
    for name, field in limits.items():
        row = re.search(rf"^\| `ESGLEDGER_{name.upper()}` \| ([^|]+) \|", guide, re.M)
        assert row, f"ESGLEDGER_{name.upper()} is not in the limits table"
        assert str(field.default) in row[1].replace(",", ""), (name, row[1])


def test_every_command_has_help_and_is_in_the_user_guide():
    guide = (DOCS / "user-guide.md").read_text(encoding="utf-8")
    commands = [c for c in app.registered_commands]
    for group in app.registered_groups:
        commands += list(group.typer_instance.registered_commands)
    assert all(c.callback.__doc__ for c in commands)
    assert [n for n in _command_names() if f"esgledger {n}" not in guide] == []


def test_every_image_and_link_the_docs_name_exists():
    missing = []
    for page in DOCS.glob("*.md"):
        text = page.read_text(encoding="utf-8")
        for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", text):
            if "://" not in target and not (page.parent / target).exists():
                missing.append(f"{page.name}: {target}")
    assert missing == []


def test_every_setting_is_in_the_user_guides_settings_table():
    guide = (DOCS / "user-guide.md").read_text(encoding="utf-8")
    table = guide.split("## Settings", 1)[1].split("\n## ", 1)[0]
    missing = [
        name
        for name in Settings.model_fields
        if not name.startswith("import_") and f"`ESGLEDGER_{name.upper()}`" not in table
    ]
    assert missing == []
