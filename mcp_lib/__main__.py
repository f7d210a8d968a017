from mcp_lib.cli import main

raise SystemExit(main())
