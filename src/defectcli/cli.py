"""The ``defect`` command: parse options, call the query layer, hand results to render.

No logic lives here beyond that. Lower layers raise typed errors (``errors.py``); the group
below turns them into one message on stderr and an exit status, never a traceback.
"""

from __future__ import annotations

import errno
import importlib
import os
import sys
from typing import Any, NoReturn

import click

from .commands import COMMANDS, State
from .errors import DataError, DefectError, ExitStatus
from .version import __version__

# No space left, over quota, file too large: the disk's answer to a write, not a bug.
_DISK_FULL = {errno.ENOSPC, errno.EFBIG, getattr(errno, "EDQUOT", errno.ENOSPC)}

EPILOG = """\b
Exit status: 0 done (an empty list is a result too), 1 not found or bad data,
2 wrong usage, 130 interrupted.
Environment: DEFECT_DATA (like --data), NO_COLOR, FORCE_COLOR, COLUMNS,
DEFECT_PAGER (else PAGER, else less -FRX: output taller than the terminal;
cat for none, like --no-pager), DEFECT_CACHE_DIR (the index; else
$XDG_CACHE_HOME/defectcli, else ~/.cache/defectcli), DEFECT_NO_CACHE=1 (no
index on disk, nothing saved), DEFECT_DEBUG=1 (the traceback of an internal error).
"""


def _terminal_width() -> int:
    """The width for help text, as ``shutil.get_terminal_size`` finds it, without importing
    shutil (which brings bz2 and lzma along) on every start."""
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    try:
        return os.get_terminal_size(sys.__stdout__.fileno()).columns if sys.__stdout__ else 80
    except (OSError, ValueError):
        return 80


class ReportedError(click.ClickException):
    """A ``DefectError`` on its way to the user: its message as it is, its exit status."""

    def __init__(self, error: DefectError) -> None:
        super().__init__(str(error))
        self.exit_code = error.exit_code  # type: ignore[misc]  # Click declares it per class
        self.is_data_error = isinstance(error, DataError)

    def show(self, file: Any = None) -> None:
        # Here: --help never compiles its pattern. Names in a message come from data files too.
        from .text.clean import clean

        prefix = "" if self.is_data_error else "Error: "
        click.echo(prefix + clean(self.format_message()), err=True)


class DefectGroup(click.Group):
    """Loads each subcommand only when it runs, and turns the lower layers' typed errors
    into messages and exit codes."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        spec = COMMANDS.get(cmd_name)
        if spec is None:
            return None
        module = importlib.import_module(f"defectcli.commands.{spec.module}")
        # An alias (profile) is the same command: its help and usage line carry the name typed.
        command: click.Command = getattr(module, spec.attribute)
        return command

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        # `defect lst`: Click says "No such command" and no more; the closest commands by
        # spelling are named, as git does ("did you mean list?"). Still a usage error (2).
        name = args[0] if args else ""
        if (
            not ctx.resilient_parsing  # completing a word: Click's own answer
            and name
            and not name.startswith("-")
            and self.get_command(ctx, name) is None
        ):
            import difflib  # only a mistyped command needs it

            close = difflib.get_close_matches(name.lower(), self.list_commands(ctx), n=3)
            if close:
                guess = close[0] if len(close) == 1 else f"one of {', '.join(close)}"
                ctx.fail(f"No such command {name!r}. Did you mean {guess}?")
        return super().resolve_command(ctx, args)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        # From the table, without importing every command module just to print --help.
        rows = [(name, COMMANDS[name].short_help) for name in self.list_commands(ctx)]
        with formatter.section("Commands"):
            formatter.write_dl(rows)

    # A reader gone (``_quiet_broken_pipe``) is handled here, below Click's own handler,
    # whose exit status changed between versions (1 up to 8.4, 0 since): the same with any
    # Click, while the options are parsed (--version, --help) or while the command writes.
    def make_context(
        self,
        info_name: str | None,
        args: list[str],
        parent: click.Context | None = None,
        **extra: Any,
    ) -> click.Context:
        try:
            return super().make_context(info_name, args, parent, **extra)
        except BrokenPipeError:
            _quiet_broken_pipe()

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except BrokenPipeError:
            _quiet_broken_pipe()
        except DefectError as error:
            raise ReportedError(error) from None


@click.group(
    cls=DefectGroup,
    context_settings={
        "help_option_names": ["-h", "--help"],
        "max_content_width": 100,
        "terminal_width": _terminal_width(),
    },
    epilog=EPILOG,
)
@click.option(
    "--data",
    metavar="PATH",
    envvar="DEFECT_DATA",
    help="Use another dataset: a folder laid out like data/ or one YAML/JSON file. "
    "Default: the bundled data.",
)
@click.option(
    "--no-pager",
    is_flag=True,
    help="Write to the terminal directly, however long the output (as DEFECT_PAGER=cat). "
    "Default: output taller than the terminal goes through $DEFECT_PAGER, else $PAGER, "
    "else less -FRX; never in a pipe or a file.",
)
@click.version_option(__version__, "-V", "--version", prog_name="defect")
@click.pass_context
def cli(ctx: click.Context, data: str | None, no_pager: bool) -> None:
    """Look up North Korea's elite defectors: who defected, from which posting, when,
    what they said, and who reported it. Every line comes with its source.

    \b
    Examples:
      defect list                      everyone, newest cases last
      defect list --year 2019          who defected in 2019
      defect show "Thae Yong Ho"       a profile card, sources numbered
      defect quotes --person "ri il"   what Ri Il Gyu said, and where
      defect list --json | jq '.[].name'
    """
    from .render.context import PAGER_ALLOWED  # here: --help and --version load no renderer

    ctx.obj = State(data or None)
    ctx.meta[PAGER_ALLOWED] = not no_pager  # render.context decides the rest


def main() -> NoReturn:
    """Run the command line and exit with its status (``entry.main`` calls it)."""
    try:
        try:
            cli.main(prog_name="defect", standalone_mode=False)
        except Exception as error:
            query = sys.modules.get("defectcli.query")  # not loaded: no index was read
            if query is None or not query.discard_damaged_index(error):
                raise
            # The index was damaged and is gone (one line on stderr said so): once more, on
            # one built again. Nothing was printed yet: results are printed once all is read.
            cli.main(prog_name="defect", standalone_mode=False)
    except (click.exceptions.Abort, KeyboardInterrupt):
        # Ctrl-C (on an Abort, Click has already ended the line on stderr).
        sys.exit(ExitStatus.INTERRUPTED)
    except click.ClickException as error:
        error.show()
        sys.exit(error.exit_code)
    except Exception as error:  # a bug: one line, and the traceback only on request
        sqlite3 = sys.modules.get("sqlite3")  # loaded if an index was read
        if isinstance(error, OSError) and error.errno in _DISK_FULL:
            # Not a bug: the output (a pipe's file, an export) could not be written whole.
            message = f"cannot write the output: {error.strerror}"
        elif isinstance(error, OSError):
            # A file-system fault met outside the checks that name it (a folder that became
            # unreadable meanwhile, an I/O error): the path and the system's reason.
            from .text.clean import clean  # (see ``show`` above)

            where = f"{clean(str(error.filename))}: " if error.filename else ""
            message = f"{where}{error.strerror or error}"
        elif sqlite3 is not None and isinstance(error, sqlite3.DatabaseError):
            # Damaged again once built again (or in memory): no rebuilding mends it.
            message = f"the dataset's index cannot be read: {error}"
        elif os.environ.get("DEFECT_DEBUG"):
            raise
        else:
            click.echo(
                f"defect: internal error: {type(error).__name__}: {error}\n"
                "Run again with DEFECT_DEBUG=1 to see the traceback, and please report it.",
                err=True,
            )
            sys.exit(ExitStatus.INTERNAL)
        click.echo(f"Error: {message}", err=True)
        sys.exit(ExitStatus.ERROR)
    sys.exit(ExitStatus.OK)


def _quiet_broken_pipe() -> NoReturn:
    # The reader went away (`defect sources --json | head -1`): it has what it wanted, and
    # the command did its work, so no message and exit 0 (as `head` and `less` users
    # expect, and `set -o pipefail` scripts need). The same when it goes before the last
    # flush (entry._flush_and_exit). Point stdout at /dev/null so no later flush complains.
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    sys.exit(ExitStatus.OK)
