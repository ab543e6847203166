"""The `lint-wb` console script and `python -m lint_wb`: the command, then a quick end.

Once the command is done, the interpreter's ordinary end frees every object the run made,
one at a time (modules torn down, the cycle collector run over them): 0.1-0.4 s after the
last byte of output on a big tree, longer than a warm run's own work. Nothing of that is
needed by then, so the console command leaves with `os._exit` instead, as mypy does.

Only this entry point ends the process: `main` (the click command) returns or raises
`SystemExit` as any click command does, so click's CliRunner, the tests and a program that
calls it keep their process. The quick end is taken only when the process is quiet:
- every write is done: files, the cache and the report are written through
  `files.atomic`, whose files are closed before it returns; stdout and stderr are flushed
  here, and when a flush fails (a closed pipe) the ordinary end runs and reports it;
- no worker is left: the run tells its workers to end, and the command waits for them once
  it has reported (`api.workers_ended`); while a child process of multiprocessing is alive,
  or a thread that is not a daemon (which the ordinary end would wait for), the ordinary end
  runs instead;
- no profiler nor tracer is on: `python -m cProfile -m lint_wb` writes its profile, and a
  debugger takes over, after `main` has raised `SystemExit`;
- the exit handlers still run (`atexit`): multiprocessing's (children and its finalizers),
  logging's (flushes handlers; lint-wb adds none), those of `weakref.finalize` (tempfile's
  TemporaryDirectory) and any other, in their usual order.
"""

from __future__ import annotations

import atexit
import os
import sys
from typing import NoReturn

from lint_wb.collector import pace_for_a_run
from lint_wb.compiled_methods import install_own, keep_own


def console_main() -> NoReturn:
    """Run the command-line command in this process and end the process with its code.

    Common command lines are read and run without click (`quick.py`); click reads the
    others. The collector is at a run's pace from the start (`collector.py`): loading lint-wb and
    click makes about a hundred thousand objects that live to the end, and at the default
    pace the collector scanned them again and again (3% of a warm pre-commit run). The
    code lint-wb's classes compile as they are made is kept from one run to the next
    (`compiled_methods.py`): a run that parses no file then compiles nothing."""
    pace_for_a_run()
    install_own()
    from lint_wb.cli.quick import run_quickly

    try:
        code = run_quickly(sys.argv[1:])
        if code is not None:
            raise SystemExit(code)
        from lint_wb.cli.main import main  # a command line that click alone reads

        main()  # click's standalone mode: it always ends by raising SystemExit
    except SystemExit as leaving:
        keep_own()
        end_process(leaving)
    raise SystemExit(0)  # not reached


def end_process(leaving: SystemExit) -> NoReturn:
    """Leave with `leaving`'s exit code, skipping the interpreter's teardown when the process
    is quiet (see the module's docstring); else through the ordinary end."""
    code = leaving.code
    if code is None:
        code = 0
    if not isinstance(code, int) or not _quiet() or not _flushed():
        raise leaving  # a message as exit code, a live helper or a failed flush: as Python does
    atexit._run_exitfuncs()
    if not _flushed():  # an exit handler wrote, and the pipe is gone since: report it as above
        raise leaving
    os._exit(code)


def _quiet() -> bool:
    """Nothing the ordinary end would wait for (no child process, no non-daemon thread), and
    nothing watching the process that acts after `main` (a profiler, a tracer)."""
    if sys.getprofile() is not None or sys.gettrace() is not None:
        return False
    threading = sys.modules.get("threading")
    if threading is not None:
        main_thread = threading.main_thread()
        if any(not t.daemon and t is not main_thread for t in threading.enumerate()):
            return False
    multiprocessing = sys.modules.get("multiprocessing")
    return multiprocessing is None or not multiprocessing.active_children()


def _flushed() -> bool:
    for stream in (sys.stdout, sys.stderr):
        if stream is None:
            continue
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe, a closed stream
            return False
    return True
