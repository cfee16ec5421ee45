import type { Report } from './report.ts'
import { chartData } from './chart-data.ts'
import { renderSummary } from './render-summary.ts'
import { escapeHtml, inlineUplot, pageHead, scriptJson } from './inline-uplot.ts'

/**
 * One self-contained HTML page: the summary table and every chart of
 * chart-data.ts drawn with uPlot (inlined, no network). The page puts what
 * each chart holds in `window.aifabCharts`, so a browser test can compare it
 * with the report. Charts over time need a sampled run (`--sample-us`).
 */
export function renderHtml(reports: readonly Report[]): string {
  const { js, css } = inlineUplot()
  const charts = chartData(reports)
  const title = reports.map((r) => r.profile.name).join(' vs ') + ` on ${reports[0]!.trace.name}`
  const sampled = reports.filter((r) => r.timeSeries !== null)
  // Rates over time are differences of samples: an interval as long as the run leaves nothing to draw.
  const few = sampled.length > 0 && sampled.every((r) => r.timeSeries!.fabric.tPs.length < 3)
  const note =
    sampled.length === 0
      ? '<p class="note">Run with <code>--sample-us N</code> for the charts over time.</p>'
      : few
        ? `<p class="note">Too few samples for the charts over time: the interval (${sampled[0]!.timeSeries!.intervalPs / 1e6} us) is about as long as the run; run with a smaller <code>--sample-us</code>.</p>`
        : ''
  return `${pageHead(title, css, '.note { color: #a60; }\n')}
<pre>${escapeHtml(renderSummary(reports))}</pre>
${note}
<div id="charts"></div>
<script>${js}</script>
<script id="chart-data" type="application/json">${scriptJson(charts)}</script>
<script>
(function () {
  var charts = JSON.parse(document.getElementById('chart-data').textContent);
  var colors = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#17becf'];
  var width = Math.min(1100, document.body.clientWidth - 48);
  window.aifabCharts = [];
  charts.forEach(function (c) {
    var el = document.createElement('div');
    el.className = 'chart';
    el.id = 'chart-' + c.id;
    document.getElementById('charts').appendChild(el);
    var opts = { title: c.title, width: width, height: 320, scales: { x: { time: false } }, axes: [{ label: c.xLabel }, { label: c.yLabel }], series: [{ label: c.xLabel }] };
    var data = c.data;
    if (c.heatmap) {
      var h = c.heatmap, peak = 0;
      h.cells.forEach(function (row) { row.forEach(function (v) { if (v > peak) peak = v; }); });
      opts.scales.y = { auto: false, range: [0, h.rows.length] };
      opts.series.push({ label: 'utilization', show: false });
      data = [h.x, h.x.map(function () { return null; })];
      opts.hooks = { draw: [function (u) {
        var ctx = u.ctx;
        h.cells.forEach(function (row, r) {
          row.forEach(function (v, i) {
            var x0 = u.valToPos(i === 0 ? 0 : h.x[i - 1], 'x', true), x1 = u.valToPos(h.x[i], 'x', true);
            var y0 = u.valToPos(r + 1, 'y', true), y1 = u.valToPos(r, 'y', true);
            var level = Math.max(0, Math.min(1, v));
            ctx.fillStyle = 'rgba(31, 119, 180, ' + level.toFixed(3) + ')';
            ctx.fillRect(x0, y0, x1 - x0, y1 - y0);
          });
        });
      }] };
    } else {
      c.series.forEach(function (name, i) { opts.series.push({ label: name, stroke: colors[i % colors.length], spanGaps: true }); });
    }
    var u = new uPlot(opts, data, el);
    window.aifabCharts.push({ id: c.id, title: c.title, series: c.series, data: u.data, heatmap: c.heatmap || null });
  });
  document.body.setAttribute('data-charts-ready', String(window.aifabCharts.length));
})();
</script>
</body>
</html>
`
}
