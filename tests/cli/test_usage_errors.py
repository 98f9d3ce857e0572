"""A mistyped command line ends in Click's short usage message and exit code 2, never a traceback.

Typer 0.29 raises the exceptions of its own copy of Click, older Typer those of the click
package; these tests hold with whichever Click the installed Typer uses.
"""

from __future__ import annotations

import pytest

from esgledger.cli.main import main


@pytest.mark.parametrize(
    ("argv", "named"),
    [
        (["methods"], ("no such command", "'methods'")),
        (["calc", "--bogus"], ("no such option", "--bogus")),
        (["calc", "--years"], ("'--years' requires an argument",)),
        (["explain"], ("missing argument", "indicator")),
        (["org", "list"], ("no such command", "'list'")),
    ],
    ids=" ".join,
)
def test_a_usage_error_names_the_problem_and_exits_2(argv, named, capsys):
    assert main(argv) == 2
    captured = capsys.readouterr()
    err = captured.err.lower()
    assert all(word in err for word in named), captured.err
    assert "--help' for help" in err  # how to find the right usage
    assert "traceback" not in err + captured.out.lower()


def test_a_usage_error_in_a_sub_command_points_to_that_commands_help(capsys):
    assert main(["org", "load", "--db"]) == 2
    assert "Try 'esgledger org load --help' for help." in capsys.readouterr().err


@pytest.mark.parametrize("argv", [["--help"], ["calc", "--help"], ["org", "--help"]], ids=" ".join)
def test_help_still_prints_and_exits_0(argv, capsys):
    assert main(argv) == 0
    assert "Usage" in capsys.readouterr().out


def test_no_command_at_all_prints_the_help(capsys):
    # Click before 8.2 exits 0 here, later Click (and Typer's copy of it) exits 2
    assert main([]) in (0, 2)
    captured = capsys.readouterr()
    assert "calc" in captured.out + captured.err
    assert "Traceback" not in captured.err
