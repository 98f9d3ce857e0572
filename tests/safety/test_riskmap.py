"""The four-colour map: points placed by fractions of the plan, a grid without a plan."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from esgledger.safety.riskmap import MapPoint, Plan, render_map

NS = {"svg": "http://www.w3.org/2000/svg"}
POINTS = [
    MapPoint("RP-1", "电解槽", "red", "420", 0.25, 0.5),
    MapPoint("RP-2", "叉车 <通道>", "blue", "63", None, None),
]


def circles(svg: str) -> list[ET.Element]:
    return ET.fromstring(svg).findall(".//svg:circle", NS)


def test_a_point_sits_at_its_fraction_of_the_plan_in_its_grade_colour():
    svg = render_map("冶炼厂", POINTS, Plan("/safety/plans/abc", 800, 400))
    first = circles(svg)[0]
    assert (float(first.get("cx")), float(first.get("cy"))) == (200.0, 200.0)
    assert first.get("fill") == "#d7191c"
    assert 'href="/safety/plans/abc"' in svg


def test_without_a_plan_the_map_is_a_grid_and_unplaced_points_take_cells():
    svg = render_map("冶炼厂", POINTS, None)
    assert ET.fromstring(svg).findall(".//svg:line", NS)  # the grid
    second = circles(svg)[1]
    assert (float(second.get("cx")), float(second.get("cy"))) == (50.0, 50.0)


def test_names_are_escaped_and_the_legend_counts_each_grade_in_the_language():
    svg = render_map("冶炼厂", POINTS, None, lang="en")
    assert "叉车 &lt;通道&gt;" in svg
    assert "Major risk (red) 1" in svg and "Low risk (blue) 1" in svg
    assert "重大风险" in render_map("冶炼厂", POINTS, None, lang="zh")
