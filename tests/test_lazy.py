"""A wing's face: its public names load when first used, from the module that defines them."""

import subprocess
import sys

import pytest


def test_a_face_loads_a_name_from_its_module_on_first_use_only():
    code = (
        "import sys, mcp_lib.plan as plan; "
        "before = 'mcp_lib.plan.planner' in sys.modules; "
        "from mcp_lib.plan.planner import plan_path; "
        "print(before, plan.plan_path is plan_path, 'plan_path' in dir(plan))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "True", "True"]


def test_an_unknown_name_is_an_attribute_error_naming_the_wing():
    import mcp_lib.plan

    with pytest.raises(AttributeError, match=r"'mcp_lib\.plan' has no attribute 'nothing'"):
        mcp_lib.plan.nothing  # noqa: B018
