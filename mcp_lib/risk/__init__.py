"""The verification risk: the chance that KPK verifies an uploaded or planned document, and its
named, sourced, overridable parameters.

The names below are this wing's face; its modules hold the rest.
"""

from typing import TYPE_CHECKING

from mcp_lib.lazy import face

_PUBLIC = {
    "Draws": "model",
    "band": "model",
    "chance": "model",
    "risk_inputs": "model",
    "RiskParams": "params",
    "params_from_toml": "params",
}

if TYPE_CHECKING:
    from mcp_lib.risk.model import Draws, band, chance, risk_inputs
    from mcp_lib.risk.params import RiskParams, params_from_toml

__getattr__, __dir__ = face(__name__, _PUBLIC)

__all__ = ["Draws", "RiskParams", "band", "chance", "params_from_toml", "risk_inputs"]
