import os
import signal
import sys

if sys.argv[1:2] == ["setup"]:  # before the CLI's imports: it runs on a Python without the dependencies
    from mcp_lib.install import setup

    raise SystemExit(setup(sys.argv[2:]))


def _stopped(signum: int, frame: object) -> None:
    """Ctrl-C while the CLI module loads: exit 130 at once, without a traceback (nothing is written
    yet). :func:`mcp_lib.app.cli.main` then handles Ctrl-C itself, and puts this back when it returns."""
    os.write(2, b"Dihentikan (Ctrl-C).\n")
    os._exit(130)


signal.signal(signal.SIGINT, _stopped)

from mcp_lib.app.cli import main  # noqa: E402 (after the handler: a Ctrl-C during the import is answered)

raise SystemExit(main())
