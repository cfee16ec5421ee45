import { escapeHtml, inlineUplot, pageHead, scriptJson } from './inline-uplot.ts'
import { sweepChart } from './sweep-chart.ts'
import type { SweepDocument } from './sweep-result.ts'

/**
 * `sweep.html`: one self-contained page (uPlot inlined, no network): the
 * summary table and the chart of efficiency against the swept parameter, one
 * line per profile (sweep-chart.ts). The page puts the chart's data in
 * `window.aifabSweepChart`, so a browser test can compare it with sweep.json.
 */
export function renderSweepHtml(doc: SweepDocument, summaryMd: string): string {
  const { js, css } = inlineUplot()
  const chart = sweepChart(doc)
  const title = `sweep ${doc.name}`
  return `${pageHead(title, css)}
<div id="chart" class="chart"></div>
<pre>${escapeHtml(summaryMd)}</pre>
<script>${js}</script>
<script id="chart-data" type="application/json">${scriptJson(chart)}</script>
<script>
(function () {
  var c = JSON.parse(document.getElementById('chart-data').textContent);
  var colors = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#17becf'];
  var width = Math.min(1100, document.body.clientWidth - 48);
  var x = c.xLog ? { time: false, distr: 3, log: 2 } : { time: false };
  var xAxis = { label: c.xLabel };
  if (c.xBytes) {
    xAxis.values = function (u, splits) {
      return splits.map(function (v) {
        var units = ['B', 'KiB', 'MiB', 'GiB'], i = 0;
        while (v >= 1024 && i < units.length - 1) { v /= 1024; i++; }
        return (Math.round(v * 100) / 100) + ' ' + units[i];
      });
    };
  }
  if (c.xTicks) {
    // Categories (trace files, load-balancing modes): one tick per value at 0, 1, ...
    x.auto = false;
    x.range = [-0.5, c.xTicks.length - 0.5];
    xAxis.splits = function () { return c.xTicks.map(function (_, i) { return i; }); };
    xAxis.values = function (u, splits) { return splits.map(function (v) { return c.xTicks[v] === undefined ? '' : c.xTicks[v]; }); };
  }
  var opts = { title: c.title, width: width, height: 360, scales: { x: x }, axes: [xAxis, { label: c.yLabel }], series: [{ label: c.xLabel }] };
  c.series.forEach(function (name, i) { opts.series.push({ label: name, stroke: colors[i % colors.length], spanGaps: true, points: { show: true, size: 7 } }); });
  var u = new uPlot(opts, c.data, document.getElementById('chart'));
  window.aifabSweepChart = { title: c.title, series: c.series, data: u.data };
  document.body.setAttribute('data-charts-ready', '1');
})();
</script>
</body>
</html>
`
}
