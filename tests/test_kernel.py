"""The Jupyter kernel and running a notebook in it (mcp_lib.kernel)."""

import pytest
from conftest import TINY

from mcp_lib.errors import InputError
from mcp_lib.kernel import check_parameters
from mcp_lib.runner import NOTEBOOK_DIR, run_brief


def test_unknown_parameter_is_an_error_not_a_warning():
    with pytest.raises(InputError, match="parameter tidak dikenal: periode"):
        check_parameters(NOTEBOOK_DIR / "03_brief.ipynb", {"pemda": "x", "periode": "2023-10"})


@pytest.mark.skipif(not __import__("os").path.isdir("/proc/self/fd"), reason="needs /proc (Linux)")
def test_a_warm_kernel_does_not_leak_file_descriptors(tmp_path):
    """papermill leaves the client of a kernel it did not start open (10 descriptors a notebook):
    a batch worker would hit the open-files limit after ~100 briefs. Ours are closed."""
    import os

    from mcp_lib.kernel import KernelSession

    session = KernelSession()
    counts = []
    try:
        for _ in range(4):
            run_brief(
                "kota-contoh",
                "2023-10",
                data_dir=TINY,
                out_root=tmp_path,
                brief_only=True,
                force=True,
                session=session,
            )
            counts.append(len(os.listdir("/proc/self/fd")))
    finally:
        session.close()
    assert counts[-1] == counts[1], counts
