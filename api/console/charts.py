"""Charts as inline SVG drawn on the server: no script library, nothing fetched, and the
numbers are in the markup (each bar's <title> and a data-value) for anyone, or any test,
that would rather read than look."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from markupsafe import Markup, escape

GRADES = ("优", "良", "中", "差")
GRADE_COLOURS = {"优": "#2e7d32", "良": "#7cb342", "中": "#f9a825", "差": "#c62828"}
LIGHTS = {
    "red": ("红灯", "#c62828"),
    "yellow": ("黄灯", "#f9a825"),
    "green": ("绿灯", "#2e7d32"),
    "blue": ("蓝灯", "#1565c0"),
}
FONT = 'font-size="12" font-family="sans-serif"'


def _svg(width: int, height: int, label: str, body: list[str]) -> Markup:
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'aria-label="{escape(label)}">{"".join(body)}</svg>'
    )


def _bar(x: float, y: float, w: float, h: float, colour: str, title: str, value: object) -> str:
    return (
        f'<rect class="bar" x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h:.1f}" '
        f'fill="{colour}" data-value="{escape(str(value))}"><title>{escape(title)}</title></rect>'
    )


def _text(x: float, y: float, text: object, anchor: str = "start") -> str:
    return f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" {FONT}>{escape(str(text))}</text>'


def grade_distribution(rows: Sequence[tuple[str, dict[str, int]]]) -> Markup:
    """Per department, a stacked bar of how many evaluations were graded 优/良/中/差."""
    most = max((sum(c.values()) for _, c in rows), default=0) or 1
    left, width, row_h = 190, 560, 28
    height = 40 + row_h * max(len(rows), 1)
    body = [_text(left + i * 70, 14, f"■ {g}") for i, g in enumerate(GRADES)]
    body = [
        b.replace("<text", f'<text fill="{GRADE_COLOURS[g]}"', 1)
        for b, g in zip(body, GRADES, strict=True)
    ]
    for i, (name, counts) in enumerate(rows):
        y = 30 + i * row_h
        body.append(_text(left - 6, y + 16, name[:14], "end"))
        x = float(left)
        for g in GRADES:
            n = counts.get(g, 0)
            if n:
                w = (width - left - 40) * n / most
                body.append(_bar(x, y, w, row_h - 8, GRADE_COLOURS[g], f"{name} {g}：{n}", n))
                x += w
        body.append(_text(x + 4, y + 16, sum(counts.values())))
    if not rows:
        body.append(_text(left, 46, "本年度尚无评价等级"))
    return _svg(width, height, "各部门评价等级分布（优/良/中/差）", body)


def light_counts(counts: dict[str, int]) -> Markup:
    """How many monitored objects show each light."""
    most = max(counts.values(), default=0) or 1
    width, height, base = 360, 200, 170
    body = []
    for i, (light, (label, colour)) in enumerate(LIGHTS.items()):
        n = counts.get(light, 0)
        h = 140 * n / most
        x = 30 + i * 80
        body.append(_bar(x, base - h, 50, h, colour, f"{label}：{n}", n))
        body.append(_text(x + 25, base - h - 4, n, "middle"))
        body.append(_text(x + 25, base + 18, label, "middle"))
    return _svg(width, height, "监控亮灯分布", body)


def execution_against_time(months: Sequence[tuple[str, Decimal, Decimal]]) -> Markup:
    """Per monitoring month, the budget execution rate beside the time progress (both %)."""
    width, base, top = max(360, 70 + 110 * len(months)), 190, 30
    body = [
        _text(40, 14, "■ 预算执行率").replace("<text", '<text fill="#1565c0"', 1),
        _text(160, 14, "■ 时间进度").replace("<text", '<text fill="#9e9e9e"', 1),
    ]
    for pct in (0, 50, 100):
        y = base - (base - top) * pct / 100
        body.append(f'<line x1="36" x2="{width - 10}" y1="{y:.1f}" y2="{y:.1f}" stroke="#ddd"/>')
        body.append(_text(32, y + 4, f"{pct}%", "end"))
    for i, (label, executed, elapsed) in enumerate(months):
        x = 50 + i * 110
        for j, (pct, colour, name) in enumerate(
            ((executed, "#1565c0", "预算执行率"), (elapsed, "#9e9e9e", "时间进度"))
        ):
            h = float(min(pct, Decimal(100))) * (base - top) / 100
            body.append(_bar(x + j * 40, base - h, 36, h, colour, f"{label} {name}：{pct}%", pct))
        body.append(_text(x + 38, base + 18, label, "middle"))
    if not months:
        body.append(_text(50, 100, "本年度尚无监控填报"))
    return _svg(width, base + 30, "预算执行进度与时间进度（按月）", body)


def by_year(counts: Sequence[tuple[int, int]], label: str) -> Markup:
    """A count per year (a department's findings over the years)."""
    most = max((n for _, n in counts), default=0) or 1
    width, base = max(240, 60 + 70 * len(counts)), 150
    body = []
    for i, (year, n) in enumerate(counts):
        h = 110 * n / most
        x = 30 + i * 70
        body.append(_bar(x, base - h, 44, h, "#8b1e1e", f"{year}年：{n}", n))
        body.append(_text(x + 22, base - h - 4, n, "middle"))
        body.append(_text(x + 22, base + 18, year, "middle"))
    return _svg(width, base + 30, label, body)
