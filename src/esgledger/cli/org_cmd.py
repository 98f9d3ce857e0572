"""`esgledger org`: load the group tree from a file, show it, edit one entity."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.tree import Tree

from esgledger.cli.common import AuthorOption, DbOption, author_name, console, ledger_session

if TYPE_CHECKING:  # loaded by the commands that run, not for --help
    from esgledger.org import Entity, OrgTree


app = typer.Typer(help="The organisation: entities of the group tree.", no_args_is_help=True)


@app.command("load")
def load(
    file: Annotated[Path, typer.Argument(help="YAML (entities: [...]) or CSV, one entity per row")],
    db: DbOption = None,
    author: AuthorOption = None,
) -> None:
    """Add or update entities from a YAML or CSV file."""
    from esgledger.ledger.orgstore import save_entities
    from esgledger.org import read_entities

    entities = read_entities(file)
    with ledger_session(db) as session:
        counts = save_entities(session, author_name(author), entities)
    console.print(
        f"{file.name}: {counts['added']} added, {counts['changed']} changed, "
        f"{counts['unchanged']} unchanged"
    )


@app.command("show")
def show(db: DbOption = None, lang: Annotated[str, typer.Option(help="en or zh")] = "en") -> None:
    """Print the group tree with segment, share, grid region, control flags and tags."""
    from esgledger.ledger.orgstore import load_org

    with ledger_session(db) as session:
        org = load_org(session)
    if org.root is None:
        console.print("No entities yet; load them with `esgledger org load FILE`")
        return
    tree = Tree(_label(org.root, lang))
    _grow(tree, org, org.root.code, lang)
    console.print(tree)


def _grow(node: Tree, org: OrgTree, code: str, lang: str) -> None:
    for child in org.children(code):
        _grow(node.add(_label(child, lang)), org, child.code, lang)


def _label(entity: Entity, lang: str) -> str:
    facts = [entity.kind.value]
    if entity.segment:
        facts.append(entity.segment.value)
    if entity.parent:
        facts.append(f"{entity.ownership_share:.0%}")
    if entity.grid_region:
        facts.append(f"grid {entity.grid_region}")
    elif entity.lookup_grid_region:
        facts.append(f"grid {entity.lookup_grid_region} (from {entity.division_code})")
    if not entity.operational_control:
        facts.append("no operational control")
    if not entity.financial_control:
        facts.append("no financial control")
    facts += [f"#{tag}" for tag in entity.tags]
    return f"[bold]{entity.code}[/] {entity.name(lang)} [dim]({', '.join(facts)})[/]"


@app.command("set")
def set_field(
    code: Annotated[str, typer.Argument(help="Entity code")],
    assignments: Annotated[
        list[str],
        typer.Argument(help="field=value pairs, e.g. ownership_share=0.6 tags=key-entity"),
    ],
    db: DbOption = None,
    author: AuthorOption = None,
) -> None:
    """Change fields of one entity (or add it when all required fields are given)."""
    from esgledger.ledger.orgstore import load_org, save_entities
    from esgledger.org import build_entity

    changes = dict(_split(text) for text in assignments)
    with ledger_session(db) as session:
        org = load_org(session)
        base = org.get(code).model_dump() if code in org else {"code": code}
        entity = build_entity({**base, **changes}, code)
        counts = save_entities(session, author_name(author), [entity])
    console.print(
        f"{code}: {'added' if counts['added'] else 'changed' if counts['changed'] else 'unchanged'}"
    )


def _split(text: str) -> tuple[str, str | None]:
    if "=" not in text:
        raise typer.BadParameter(f"{text!r}: write field=value, e.g. segment=metals")
    field, value = text.split("=", 1)
    return field.strip(), (value.strip() or None)
