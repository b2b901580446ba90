"""A second user, for the trust tests: what another account on the machine can do to the
cache and to exports, and what ``defect`` does when run by an account without root's
rights (an unreadable folder is unreadable only to such a one).

The second user is played by a child process that switches to another uid (``nobody``,
65534) after ``fork``; no account is created. That needs root; elsewhere these tests are
skipped with that reason. The child keeps the modules its parent loaded, so it runs
``defect`` without reading Python's own files (which may sit where it cannot read them).
"""

from __future__ import annotations

import contextlib
import importlib
import io
import json
import os
import pkgutil
import sys
import tempfile
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

OTHER_UID = 65534  # nobody


def need_a_second_user() -> None:
    if not hasattr(os, "fork") or not hasattr(os, "setuid"):
        pytest.skip("playing a second user needs fork and setuid (POSIX)")
    if os.geteuid() != 0:
        pytest.skip("playing a second user needs root, to switch uid in a child process")


def as_other_user(action: Callable[[], Any]) -> Any:
    """``action()`` run by another user (uid 65534, no groups), in a child process; its
    result (JSON data) comes back. An exception in the child fails the test."""
    need_a_second_user()
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        os.close(read_end)
        answer: dict[str, Any]
        try:
            os.setgroups([])
            os.setgid(OTHER_UID)
            os.setuid(OTHER_UID)
            answer = {"result": action()}
        except BaseException:
            answer = {"error": traceback.format_exc()}
        try:
            with os.fdopen(write_end, "w", encoding="utf-8") as pipe:
                json.dump(answer, pipe)
        finally:
            os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end, encoding="utf-8") as pipe:
        text = pipe.read()
    os.waitpid(pid, 0)
    answer = json.loads(text)
    assert "error" not in answer, answer["error"]
    return answer["result"]


def load_everything() -> None:
    """Every module of defectcli, so that a child that cannot read them has them."""
    import defectcli

    for module in pkgutil.walk_packages(defectcli.__path__, "defectcli."):
        importlib.import_module(module.name)


def run_defect(args: list[str], env: dict[str, str] | None = None) -> tuple[int, str, str]:
    """``defect ARGS`` in this process, through the console script's ``main`` (so its
    error handling is what is tested): exit status, stdout, stderr."""
    from defectcli.cli import main

    out, err = io.StringIO(), io.StringIO()
    saved_env, saved_argv = dict(os.environ), sys.argv
    os.environ.update(env or {})
    sys.argv = ["defect", *args]
    status: Any = None
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            main()
    except SystemExit as done:
        status = done.code
    finally:
        os.environ.clear()
        os.environ.update(saved_env)
        sys.argv = saved_argv
    return int(status or 0), out.getvalue(), err.getvalue()


def defect_as_other_user(
    args: list[str], env: dict[str, str], warm_up: list[str] | None = None
) -> tuple[int, str, str]:
    """``defect ARGS`` run by the second user (``warm_up``, by default ARGS, is run once as
    this user first, so that every module it needs is loaded)."""
    load_everything()
    run_defect(args if warm_up is None else warm_up, env)
    code, out, err = as_other_user(lambda: list(run_defect(args, env)))
    return int(code), str(out), str(err)


@contextlib.contextmanager
def shared_folder(mode: int = 0o1777) -> Iterator[Path]:
    """A folder both users reach (under the system's temporary folder, as /tmp is shared),
    writable by everyone with the sticky bit by default."""
    import shutil

    folder = Path(tempfile.mkdtemp(prefix="defect-shared-"))
    os.chmod(folder, mode)
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def test_the_second_user_is_another_user() -> None:
    assert as_other_user(os.geteuid) == OTHER_UID
    with shared_folder(0o755) as folder:
        private = folder / "private"
        private.mkdir(mode=0o700)

        def try_to_list() -> str:
            try:
                os.listdir(private)
            except PermissionError:
                return "refused"
            return "listed"

        assert as_other_user(try_to_list) == "refused"
