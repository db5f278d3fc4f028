"""The report page: archive.report's data as one self-contained HTML file.

Charts are inline SVG drawn here (no chart library, no script, no font or stylesheet
fetched), so the page opens offline in any browser and in mail clients that show HTML.
Every text from the archive is escaped. Each chart is an ``<svg data-chart=NAME>`` whose
bars are ``<rect class="bar">`` carrying ``data-value``; a ``<title>`` gives each bar's
figure on hover.
"""

from __future__ import annotations

from datetime import UTC, datetime
from html import escape
from typing import Any

from archive.report_series import bucket_series

SOURCES = ("foresight", "8btc")
COLORS = {"foresight": "#1f77b4", "8btc": "#ff7f0e", "stories": "#2ca02c",
          "attributions": "#9467bd"}
_CSS = """
body{font-family:system-ui,"PingFang SC","Microsoft YaHei","Noto Sans CJK SC",sans-serif;
max-width:960px;margin:2em auto;padding:0 1em;color:#222}
h1{font-size:1.5em}h2{font-size:1.2em;margin-top:2em;border-bottom:1px solid #ddd}
table{border-collapse:collapse;font-size:.9em}td,th{padding:.2em .6em;border-bottom:1px solid
#eee;text-align:left}td.n{text-align:right}svg{max-width:100%;height:auto}
svg text{font-size:11px;fill:#444}.legend span{display:inline-block;width:.8em;height:.8em;
margin:0 .3em 0 1em}.muted{color:#888}
"""


def render(data: dict[str, Any]) -> str:
    """The whole page for archive.report.gather's ``data``."""
    made = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    parts = [
        "<!DOCTYPE html>", '<html lang="zh-Hans"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        "<title>newsarchive report</title>", f"<style>{_CSS}</style></head><body>",
        "<h1>newsarchive: a picture of the archive</h1>",
        f'<p class="muted">Made {made}. {_counts_line(data["counts"])}</p>',
        _per_day_section(data["per_day"]),
        _stories_section(data["stories"]),
        _attributions_section(data["attributions"]),
        _health_section(data["health"], data["last_run"]),
        "</body></html>",
    ]
    return "\n".join(parts) + "\n"


def _counts_line(counts: dict[str, int]) -> str:
    return "; ".join(f"{escape(t)}: {n:,}" for t, n in counts.items()) + "."


def _per_day_section(per_day: list[dict[str, Any]]) -> str:
    unit, labels, series = bucket_series(per_day, SOURCES)
    head = f"<h2>News items and articles per {unit} and source</h2>"
    if not labels:
        return head + "<p>No dated items yet.</p>"
    legend = "".join(f'<span style="background:{COLORS[s]}"></span>{escape(s)} '
                     f"({sum(series[s]):,})" for s in SOURCES)
    return (head + f'<p class="legend">{legend}</p>' + stacked_bars(labels, series)
            + f'<p class="muted">Beijing calendar {unit}s, {labels[0]} to {labels[-1]}; '
              "news items by their digest's day, articles by their own.</p>")


def stacked_bars(labels: list[str], series: dict[str, list[int]], *, width: int = 900,
                 height: int = 260) -> str:
    """A stacked bar chart: one bar per label, one coloured segment per series."""
    left, bottom, top = 48, 36, 10
    plot_w, plot_h = width - left - 10, height - bottom - top
    totals = [sum(values[i] for values in series.values()) for i in range(len(labels))]
    peak = max(totals) or 1
    step = plot_w / len(labels)
    out = [f'<svg data-chart="per-day" xmlns="http://www.w3.org/2000/svg" '
           f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img">']
    out += _y_axis(left, top, plot_w, plot_h, peak)
    for i, label in enumerate(labels):
        base = top + plot_h
        for name, values in series.items():
            h = values[i] / peak * plot_h
            if values[i]:
                out.append(f'<rect class="bar" data-source="{escape(name)}" '
                           f'data-value="{values[i]}" x="{left + i * step:.2f}" '
                           f'y="{base - h:.2f}" width="{max(step - 1, 0.6):.2f}" '
                           f'height="{h:.2f}" fill="{COLORS.get(name, "#777")}">'
                           f"<title>{escape(label)} {escape(name)}: {values[i]}</title></rect>")
            base -= h
    last = len(labels) - 1
    for i in sorted({0, len(labels) // 2, last}):
        anchor = "start" if i == 0 else "end" if i == last else "middle"
        x = left + (i + 1) * step if i == last else left + i * step
        out.append(f'<text x="{x:.2f}" y="{height - 12}" text-anchor="{anchor}">'
                   f"{escape(labels[i])}</text>")
    out.append("</svg>")
    return "".join(out)


def _y_axis(left: int, top: int, plot_w: int, plot_h: int, peak: int) -> list[str]:
    out = [f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}" '
           'stroke="#999"/>']
    for value in sorted({0, peak // 2, peak}):
        y = top + plot_h - value / peak * plot_h
        out.append(f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">{value}</text>')
        out.append(f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_w}" y2="{y:.1f}" '
                   'stroke="#eee"/>')
    return out


def hbars(name: str, rows: list[tuple[str, int]], color: str, *, width: int = 900) -> str:
    """A horizontal bar chart: one labelled bar per (label, value), longest first."""
    label_w, row_h, peak = 330, 22, max((v for _, v in rows), default=1) or 1
    plot_w = width - label_w - 60
    height = row_h * len(rows) + 6
    out = [f'<svg data-chart="{escape(name)}" xmlns="http://www.w3.org/2000/svg" '
           f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img">']
    for i, (label, value) in enumerate(rows):
        y, w = i * row_h + 3, value / peak * plot_w
        short = label if len(label) <= 24 else label[:23] + "…"
        out.append(f'<text x="{label_w - 8}" y="{y + 15}" text-anchor="end">{escape(short)}'
                   f'<title>{escape(label)}</title></text>')
        out.append(f'<rect class="bar" data-value="{value}" x="{label_w}" y="{y}" '
                   f'width="{max(w, 1):.2f}" height="{row_h - 6}" fill="{color}">'
                   f"<title>{escape(label)}: {value}</title></rect>")
        out.append(f'<text x="{label_w + w + 6:.2f}" y="{y + 15}">{value}</text>')
    out.append("</svg>")
    return "".join(out)


def _stories_section(stories: list[dict[str, Any]]) -> str:
    head = "<h2>The largest stories (appearances across articles and news items)</h2>"
    if not stories:
        return head + "<p>No stories yet.</p>"
    chart = hbars("stories", [(s["headline"] or f"story #{s['id']}", s["appearances"])
                              for s in stories], COLORS["stories"])
    items = []
    for s in stories:
        members = "".join(f"<li>{escape(m['published_at'] or '-')} {escape(m['site'])} "
                          f"{_link(m['url'], m['headline'] or m['url'])}</li>"
                          for m in s["members"])
        items.append(f"<details><summary>#{s['id']} {escape(s['headline'] or '')}: "
                     f"{s['appearances']} appearances, {s['sources']} source(s)</summary>"
                     f"<ol>{members}</ol></details>")
    return head + chart + "".join(items)


def _link(url: str, text: str) -> str:
    """A link for an http(s) URL; any other scheme (javascript:...) is shown as text."""
    if not url.startswith(("http://", "https://")):
        return escape(text)
    return f'<a href="{escape(url)}">{escape(text)}</a>'


def _attributions_section(rows: list[dict[str, Any]]) -> str:
    head = "<h2>Outlets the digests credit most</h2>"
    if not rows:
        return head + "<p>No attributed news items yet.</p>"
    return head + hbars("attributions", [(r["attribution"], r["items"]) for r in rows],
                        COLORS["attributions"])


def _health_section(health: list[dict[str, Any]], last_run: dict[str, Any] | None) -> str:
    head = "<h2>Health of each source (its latest run)</h2>"
    run = (f"<p>Last run #{last_run['id']} started {escape(last_run['started_at'])}, "
           f"{escape(str(last_run['status']))}.</p>" if last_run else "<p>No run yet.</p>")
    if not health:
        return head + run
    rows = "".join(
        f"<tr><td>{escape(h['source'])}</td><td>{escape(h['state'])}</td>"
        f"<td class=n>{h['run_id']}</td><td class=n>{h['pages'] or 0}</td>"
        f"<td class=n>{h['new_items'] or 0}</td>"
        f"<td class=n>{_num(h['parse_failure_share'])}</td>"
        f"<td class=n>{_num(h['hours_since_new'])}</td><td>{escape(h['detail'] or '')}</td>"
        "</tr>" for h in health)
    return (head + run + "<table><tr><th>source</th><th>state</th><th>run</th><th>pages</th>"
            "<th>new items</th><th>unreadable share</th><th>hours since new</th>"
            f"<th>detail</th></tr>{rows}</table>")


def _num(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"
