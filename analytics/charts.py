"""Charts as inline SVG: no plotting library, no external files, crisp when printed.

Hidden (suppressed) groups are drawn as a label and their mark ("<5", "–") with no bar, so a chart can
never show what a table hides.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

FONT = "font-family='Helvetica, Arial, sans-serif'"
BAR = "#2b6cb0"
BELOW = "#c05621"
TARGET = "#1a202c"


@dataclass(frozen=True)
class Bar:
    label: str
    share: float | None  # None: hidden or no answers
    ci_low: float | None = None
    ci_high: float | None = None
    note: str = ""  # printed after the bar, e.g. "n = 30" or "<5"


def _pct(value: float) -> str:
    return f"{value * 100:.0f} %"


def _open_svg(width: int, height: int, label: str, title: str) -> list[str]:
    parts = [
        f"<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 {width} {height}' width='{width}' "
        f"height='{height}' role='img' aria-label='{escape(label)}'>"
    ]
    if title:
        parts.append(f"<text x='0' y='16' {FONT} font-size='13' font-weight='bold'>{escape(title)}</text>")
    return parts


def bar_chart(bars: Sequence[Bar], target: float = 0.80, title: str = "") -> str:
    """Horizontal bars of shares (0–100 %) with their 95 % intervals and a line at the goal."""
    label_w, plot_w, row_h, top = 190, 360, 26, 30
    width = label_w + plot_w + 120
    height = top + row_h * max(len(bars), 1) + 26

    def x(share: float) -> float:
        return label_w + share * plot_w

    parts = _open_svg(width, height, title or "Andel tilfredse", title)
    for tick in (0.0, 0.25, 0.5, 0.75, 1.0):
        parts.append(
            f"<line x1='{x(tick):.1f}' y1='{top - 4}' x2='{x(tick):.1f}' y2='{height - 22}' stroke='#e2e8f0'/>"
        )
        parts.append(
            f"<text x='{x(tick):.1f}' y='{height - 8}' {FONT} font-size='10' text-anchor='middle' "
            f"fill='#4a5568'>{_pct(tick)}</text>"
        )
    for i, bar in enumerate(bars):
        y = top + i * row_h
        parts.append(
            f"<text x='{label_w - 8}' y='{y + 16}' {FONT} font-size='11' text-anchor='end'>{escape(bar.label)}</text>"
        )
        if bar.share is None:
            parts.append(
                f"<text x='{label_w + 4}' y='{y + 16}' {FONT} font-size='11' fill='#4a5568'>{escape(bar.note)}</text>"
            )
            continue
        colour = BAR if bar.ci_high is None or bar.ci_high >= target else BELOW
        parts.append(
            f"<rect x='{label_w}' y='{y + 4}' width='{bar.share * plot_w:.1f}' height='{row_h - 10}' "
            f"fill='{colour}'><title>{escape(bar.label)}: {_pct(bar.share)}</title></rect>"
        )
        if bar.ci_low is not None and bar.ci_high is not None:
            mid = y + row_h / 2 - 1
            parts.append(
                f"<line x1='{x(bar.ci_low):.1f}' y1='{mid}' x2='{x(bar.ci_high):.1f}' y2='{mid}' "
                "stroke='#1a202c' stroke-width='1.5'/>"
            )
        parts.append(
            f"<text x='{label_w + plot_w + 8}' y='{y + 16}' {FONT} font-size='11'>"
            f"{_pct(bar.share)} {escape(bar.note)}</text>"
        )
    parts.append(
        f"<line x1='{x(target):.1f}' y1='{top - 8}' x2='{x(target):.1f}' y2='{height - 22}' "
        f"stroke='{TARGET}' stroke-width='2' stroke-dasharray='5 3'/>"
    )
    parts.append(
        f"<text x='{x(target):.1f}' y='{top - 10}' {FONT} font-size='10' text-anchor='middle'>mål {_pct(target)}</text>"
    )
    parts.append("</svg>")
    return "".join(parts)


def trend_chart(points: Sequence[Bar], target: float = 0.80, title: str = "") -> str:
    """Shares by period as a line with interval whiskers; hidden periods leave a gap in the line."""
    left, plot_w, plot_h, top = 44, 560, 180, 28
    width, height = left + plot_w + 20, top + plot_h + 58
    step = plot_w / max(len(points), 1)

    def px(i: int) -> float:
        return left + step * (i + 0.5)

    def py(share: float) -> float:
        return top + (1 - share) * plot_h

    parts = _open_svg(width, height, title or "Udvikling", title)
    for tick in (0.0, 0.25, 0.5, 0.75, 1.0):
        parts.append(
            f"<line x1='{left}' y1='{py(tick):.1f}' x2='{left + plot_w}' y2='{py(tick):.1f}' stroke='#e2e8f0'/>"
        )
        parts.append(
            f"<text x='{left - 6}' y='{py(tick) + 4:.1f}' {FONT} font-size='10' text-anchor='end' "
            f"fill='#4a5568'>{_pct(tick)}</text>"
        )
    parts.append(
        f"<line x1='{left}' y1='{py(target):.1f}' x2='{left + plot_w}' y2='{py(target):.1f}' "
        f"stroke='{TARGET}' stroke-width='2' stroke-dasharray='5 3'/>"
    )
    parts.append(
        f"<text x='{left + plot_w}' y='{py(target) - 4:.1f}' {FONT} font-size='10' "
        f"text-anchor='end'>mål {_pct(target)}</text>"
    )
    segment: list[str] = []
    lines: list[list[str]] = [segment]
    for i, point in enumerate(points):
        # "2026-12 (delvis)": the note in brackets on a second line, so neighbouring labels do not overlap.
        first, _, rest = point.label.partition(" (")
        second = f"<tspan x='{px(i):.1f}' dy='11'>({escape(rest)}</tspan>" if rest else ""
        parts.append(
            f"<text x='{px(i):.1f}' y='{top + plot_h + 16}' {FONT} font-size='9' text-anchor='middle' "
            f"fill='#4a5568'>{escape(first)}{second}</text>"
        )
        if point.share is None:
            parts.append(
                f"<text x='{px(i):.1f}' y='{top + plot_h - 6}' {FONT} font-size='9' "
                f"text-anchor='middle' fill='#718096'>{escape(point.note)}</text>"
            )
            segment = []
            lines.append(segment)
            continue
        segment.append(f"{px(i):.1f},{py(point.share):.1f}")
        if point.ci_low is not None and point.ci_high is not None:
            parts.append(
                f"<line x1='{px(i):.1f}' y1='{py(point.ci_low):.1f}' x2='{px(i):.1f}' "
                f"y2='{py(point.ci_high):.1f}' stroke='#a0aec0' stroke-width='1.5'/>"
            )
        parts.append(
            f"<circle cx='{px(i):.1f}' cy='{py(point.share):.1f}' r='3.5' fill='{BAR}'>"
            f"<title>{escape(point.label)}: {_pct(point.share)} {escape(point.note)}</title></circle>"
        )
    for line in lines:
        if len(line) > 1:
            parts.append(f"<polyline points='{' '.join(line)}' fill='none' stroke='{BAR}' stroke-width='2'/>")
    parts.append("</svg>")
    return "".join(parts)
