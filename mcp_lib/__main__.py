import sys

if sys.argv[1:2] == ["setup"]:  # before the CLI's imports: it runs on a Python without the dependencies
    from mcp_lib.install import setup

    raise SystemExit(setup(sys.argv[2:]))

from mcp_lib.cli import main

raise SystemExit(main())
