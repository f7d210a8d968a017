"""Running the notebooks: the Jupyter kernel, one brief, many briefs (a batch, locally or on a
dask cluster) and the batch's overview page.

The names below are this wing's face; its modules hold the rest.
"""

from typing import TYPE_CHECKING

from mcp_lib.lazy import face

_PUBLIC = {
    "KernelSession": "kernel",
    "ensure_kernel": "kernel",
    "run_brief": "runner",
    "BatchJob": "batch",
    "run_batch": "batch",
    "dask_executor": "cluster",
    "render_overview": "overview",
}

if TYPE_CHECKING:
    from mcp_lib.run.batch import BatchJob, run_batch
    from mcp_lib.run.cluster import dask_executor
    from mcp_lib.run.kernel import KernelSession, ensure_kernel
    from mcp_lib.run.overview import render_overview
    from mcp_lib.run.runner import run_brief

__getattr__, __dir__ = face(__name__, _PUBLIC)

__all__ = ["BatchJob", "KernelSession", "dask_executor", "ensure_kernel", "render_overview", "run_batch", "run_brief"]
