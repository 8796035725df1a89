"""Which plot kit draws a chart: pyqtgraph, or its plain-Qt stand-ins.

pyqtgraph and numpy are about 49 MB of the kiosk's memory. Hero figures,
``figures`` charts and timelines need none of pyqtgraph (text, a ring, a
line, round points), so they are drawn with ``lite``; a pack whose charts
are all of these kinds never imports pyqtgraph. Bars, lines and shares of
several parts import it with their first chart.
"""

from __future__ import annotations

from types import ModuleType

from taixin_kiosk.content.deck import Chart

# The kinds drawn without pyqtgraph (and a share of one part, drawn as a
# hero figure: Chart.drawn_as_figures).
LITE_KINDS = frozenset({"figures", "timeline"})


def needs_pyqtgraph(spec: Chart) -> bool:
    """Whether a chart is drawn with pyqtgraph (an unknown kind is, as before:
    it stays an empty plot)."""
    return not (spec.kind in LITE_KINDS or spec.drawn_as_figures)


def kit_for(spec: Chart) -> ModuleType:
    """The module a chart's canvas builds with: the same names (``TextItem``,
    ``PlotDataItem``, ``GraphicsView``, ``Plot``, ``AxisItem``, ``mkPen``,
    ``mkBrush``, ``configure``, ``set_foreground``) in both."""
    if needs_pyqtgraph(spec):
        from taixin_kiosk.ui.charts import plotkit

        return plotkit
    from taixin_kiosk.ui.charts import lite

    return lite
