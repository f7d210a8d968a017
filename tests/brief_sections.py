"""The sections of the brief, for the tests of several wings."""

from mcp_lib.brief import plan_sections, sections, summary

SECTIONS = [
    summary.page_one,
    summary.page_two,
    lambda b: summary.appendix_start(),
    lambda b: sections.trend_section(b, chart=False),
    lambda b: sections.areas_section(b, chart=False),
    sections.detail_table,
    sections.opd_section,
    plan_sections.targets_table,
    lambda b: plan_sections.path_charts(b, cumulative=False),
    plan_sections.obstacles_table,
    plan_sections.action_list,
    plan_sections.blocked_table,
    sections.followup_tables,
    sections.method_section,
]
"""What ``03_brief`` shows, in its order (the steps' and the runner's tests compare the notebook with it)."""
