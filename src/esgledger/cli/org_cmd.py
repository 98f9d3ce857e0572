"""`esgledger org`: load the group tree from a file, show it, edit one entity."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.tree import Tree

from esgledger.cli.common import AuthorOption, DbOption, author_name, console, ledger_session
from esgledger.cli.words import Words

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
    console.print(Words()("cli.org.loaded", file=file.name, **counts))


@app.command("show")
def show(
    db: DbOption = None,
    lang: Annotated[
        str | None, typer.Option(help="en or zh (default: the language before the command)")
    ] = None,
) -> None:
    """Print the group tree with segment, share, grid region, control flags and tags."""
    from esgledger.ledger.orgstore import load_org

    words = Words(lang)
    with ledger_session(db) as session:
        org = load_org(session)
    if org.root is None:
        console.print(words("cli.org.none"))
        return
    tree = Tree(_label(org.root, words))
    _grow(tree, org, org.root.code, words)
    console.print(tree)


def _grow(node: Tree, org: OrgTree, code: str, words: Words) -> None:
    for child in org.children(code):
        _grow(node.add(_label(child, words)), org, child.code, words)


def _label(entity: Entity, words: Words) -> str:
    facts = [words.known(f"cli.entity_kind.{entity.kind.value}") or entity.kind.value]
    if entity.segment:
        facts.append(words.boundary(f"segment:{entity.segment.value}").removeprefix("segment:"))
    if entity.parent:
        facts.append(f"{entity.ownership_share:.0%}")
    if entity.grid_region:
        facts.append(words("cli.org.grid", region=_region(entity.grid_region, words)))
    elif entity.lookup_grid_region:
        region = _region(entity.lookup_grid_region, words)
        facts.append(words("cli.org.grid_from", region=region, division=entity.division_code))
    if not entity.operational_control:
        facts.append(words("cli.org.no_operational_control"))
    if not entity.financial_control:
        facts.append(words("cli.org.no_financial_control"))
    facts += [f"#{tag}" for tag in entity.tags]
    shown = words("cli.org.facts", facts=words("list.comma").join(facts))
    return f"[bold]{entity.code}[/] {entity.name(words.lang)}[dim]{shown}[/]"


def _region(region: str, words: Words) -> str:
    """A grid region by its Chinese name (华北) in Chinese; a province code stays a code."""
    return (words.known(f"cli.grid_region.{region}") if words.chinese else None) or region


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
    words = Words()
    done = "added" if counts["added"] else "changed" if counts["changed"] else "unchanged"
    console.print(words("cli.org.set", code=code, done=words(f"cli.org.{done}")))


def _split(text: str) -> tuple[str, str | None]:
    if "=" not in text:
        raise typer.BadParameter(f"{text!r}: write field=value, e.g. segment=metals")
    field, value = text.split("=", 1)
    return field.strip(), (value.strip() or None)
