"""The way to the target: the least-effort choice of documents, the plan with its verdict, the
targets compared, and what-if scenarios.

The names below are this wing's face; its modules hold the rest.
"""

from typing import TYPE_CHECKING

from mcp_lib.lazy import face

_PUBLIC = {
    "solve_greedy": "optimise",
    "solve_min_effort": "optimise",
    "Plan": "planner",
    "PlanOptions": "planner",
    "plan_path": "planner",
    "plan_table": "planner",
    "TargetPlans": "targets",
    "plan_targets": "targets",
    "read_assumptions": "scenario",
    "what_if": "scenario",
    "write_assumptions": "scenario",
}

if TYPE_CHECKING:
    from mcp_lib.plan.optimise import solve_greedy, solve_min_effort
    from mcp_lib.plan.planner import Plan, PlanOptions, plan_path, plan_table
    from mcp_lib.plan.scenario import read_assumptions, what_if, write_assumptions
    from mcp_lib.plan.targets import TargetPlans, plan_targets

__getattr__, __dir__ = face(__name__, _PUBLIC)

__all__ = [
    "Plan",
    "PlanOptions",
    "TargetPlans",
    "plan_path",
    "plan_table",
    "plan_targets",
    "read_assumptions",
    "solve_greedy",
    "solve_min_effort",
    "what_if",
    "write_assumptions",
]
