"""A small line plot in braille dots: bets across a debate, a rating across time.

Each cell holds 2×4 dots, so a plot of 30×4 cells draws 60×16 points. Series are drawn
in order; where two cross, the later one's colour wins the cell."""

from __future__ import annotations

from dataclasses import dataclass, field

from textual.content import Content
from textual.widget import Widget

# Braille dot bits, indexed [row][column] inside a 2×4 cell.
_DOTS = ((0x01, 0x08), (0x02, 0x10), (0x04, 0x20), (0x40, 0x80))


@dataclass
class Series:
    label: str
    points: list[tuple[float, float]]  # (x, y), x increasing
    style: str = "$text-primary"
    marks: bool = True  # a heavier dot at each point


@dataclass
class PlotData:
    series: list[Series] = field(default_factory=list)
    y_range: tuple[float, float] | None = None  # None: from the data, padded
    x_range: tuple[float, float] | None = None
    y_labels: tuple[str, str] | None = None  # labels for the top and bottom rows
    empty: str = "no data yet"


class LinePlot(Widget):
    DEFAULT_CSS = """
    LinePlot { height: 5; width: 1fr; }
    """

    def __init__(
        self,
        data: PlotData | None = None,
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.data = data or PlotData()

    def set_data(self, data: PlotData) -> None:
        self.data = data
        self.refresh()

    def render(self) -> Content:
        width, height = self.content_size.width, self.content_size.height
        return render_plot(self.data, width, height)


def _ranges(data: PlotData) -> tuple[float, float, float, float] | None:
    xs = [x for s in data.series for x, _ in s.points]
    ys = [y for s in data.series for _, y in s.points]
    if not xs:
        return None
    x0, x1 = data.x_range or (min(xs), max(xs))
    if data.y_range:
        y0, y1 = data.y_range
    else:
        y0, y1 = min(ys), max(ys)
        pad = max((y1 - y0) * 0.1, 1.0)
        y0, y1 = y0 - pad, y1 + pad
    return x0, (x1 if x1 > x0 else x0 + 1), y0, (y1 if y1 > y0 else y0 + 1)


def render_plot(data: PlotData, width: int, height: int) -> Content:
    ranges = _ranges(data)
    if width < 4 or height < 1:
        return Content("")
    if ranges is None:
        return Content.styled(data.empty, "$text-muted")
    x0, x1, y0, y1 = ranges
    labels = data.y_labels or (f"{y1:.0f}", f"{y0:.0f}")
    gutter = max(len(labels[0]), len(labels[1])) + 1
    cols = max(1, width - gutter)
    px_w, px_h = cols * 2, height * 4
    cells: list[list[int]] = [[0] * cols for _ in range(height)]
    owner: list[list[str | None]] = [[None] * cols for _ in range(height)]

    def to_px(x: float, y: float) -> tuple[int, int]:
        px = round((x - x0) / (x1 - x0) * (px_w - 1))
        py = round((y1 - y) / (y1 - y0) * (px_h - 1))
        return max(0, min(px_w - 1, px)), max(0, min(px_h - 1, py))

    def dot(px: int, py: int, style: str) -> None:
        row, col = py // 4, px // 2
        cells[row][col] |= _DOTS[py % 4][px % 2]
        owner[row][col] = style

    for series in data.series:
        pts = [to_px(x, y) for x, y in series.points]
        for (ax, ay), (bx, by) in zip(pts, pts[1:]):
            steps = max(abs(bx - ax), abs(by - ay), 1)
            for i in range(steps + 1):
                dot(round(ax + (bx - ax) * i / steps), round(ay + (by - ay) * i / steps), series.style)
        for px, py in pts:
            dot(px, py, series.style)
            if series.marks and len(pts) == 1:  # a lone point gets a second dot to be seen
                dot(min(px_w - 1, px + 1), py, series.style)

    lines = []
    for row in range(height):
        label = labels[0] if row == 0 else labels[1] if row == height - 1 else ""
        parts: list[tuple[str, str] | str] = [(label.rjust(gutter - 1) + " ", "$text-muted")]
        for col in range(cols):
            bits = cells[row][col]
            if bits:
                parts.append((chr(0x2800 + bits), owner[row][col] or ""))
            else:
                parts.append(("·" if row == height - 1 and col % 4 == 0 else " ", "$text-muted"))
        lines.append(Content.assemble(*parts))
    return Content("\n").join(lines)
