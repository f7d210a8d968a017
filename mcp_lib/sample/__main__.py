"""``python -m mcp_lib.sample`` (``make sample``): regenerate the bundled framework and sample pemda."""

from mcp_lib.sample.generate import write_bundled

for path in write_bundled():
    print(path)
