// The HTML report in a real browser: the flagship comparison, opened in
// headless Chromium (Debian's chromium, driven by playwright-core). Every
// chart must hold the report's own series, recomputed here from compare.json
// without the report package's chart code; a screenshot goes to test-results/.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium } from 'playwright-core'
import type { Report } from '@aifab/report'
import { afterAll, describe, expect, it } from 'vitest'

const root = new URL('../', import.meta.url).pathname
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

type Page = { id: string; series: string[]; data: (number | null)[][]; heatmap: { rows: string[]; x: number[]; cells: number[][] } | null }
/** The (x, y) points of series k of a chart, without the gaps alignment left. */
const points = (c: Page, k: number) => c.data[0]!.map((x, i) => [x, c.data[k]![i]] as const).filter(([, y]) => y !== null) as [number, number][]
/** Per-interval rate of a cumulative counter: [end of interval in us, rate]. */
function rates(tPs: number[], counter: number[], scale: number): [number, number][] {
  const out: [number, number][] = []
  for (let i = 1; i < tPs.length; i++) if (tPs[i]! > tPs[i - 1]!) out.push([tPs[i]! / 1e6, ((counter[i]! - counter[i - 1]!) * scale) / (tPs[i]! - tPs[i - 1]!)])
  return out
}
const close = (a: [number, number][], b: [number, number][]) => {
  expect(a.length).toBe(b.length)
  a.forEach(([x, y], i) => {
    expect(x).toBeCloseTo(b[i]![0], 6)
    expect(y).toBeCloseTo(b[i]![1], 6)
  })
}

describe('HTML report in headless Chromium', () => {
  const out = mkdtempSync(join(tmpdir(), 'aifab-html-'))
  afterAll(() => rmSync(out, { recursive: true, force: true }))

  it('shows every chart with the report data, for the flagship comparison', async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: install Debian's chromium (.ci/run does) or set CHROMIUM_PATH`)
    const run = spawnSync(
      process.execPath,
      [join(root, 'packages/cli/bin/aifab.js'), 'compare', 'traces/ring-allreduce-64r-64mib.json', '--topology', 'configs/topologies/leaf-spine-8x8x8-400g.json', '--baseline', 'configs/profiles/roce.json', '--candidate', 'configs/profiles/ai-ethernet.json', '--out', out, '--format', 'json,html', '--sample-us', '10', '--quiet'],
      { cwd: root, encoding: 'utf8' },
    )
    expect(run.status, run.stderr).toBe(0)
    const doc = JSON.parse(readFileSync(join(out, 'compare.json'), 'utf8')) as { baseline: Report; candidate: Report }
    const reports = [doc.baseline, doc.candidate]

    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] })
    let charts: Page[]
    try {
      const page = await browser.newPage({ viewport: { width: 1200, height: 900 } })
      const errors: string[] = []
      page.on('pageerror', (e) => errors.push(e.message))
      // Self-contained: any request beyond the file itself is a failure.
      await page.route('**/*', (route) => (route.request().url().startsWith('file:') ? route.continue() : route.abort()))
      await page.goto(`file://${join(out, 'report.html')}`)
      await page.waitForSelector('body[data-charts-ready]')
      charts = await page.evaluate(() => (globalThis as unknown as { aifabCharts: Page[] }).aifabCharts)
      expect(errors).toEqual([])
      mkdirSync(join(root, 'test-results'), { recursive: true })
      await page.screenshot({ path: join(root, 'test-results/html-report.png'), fullPage: true })
    } finally {
      await browser.close()
    }
    const byId = new Map(charts.map((c) => [c.id, c]))
    expect([...byId.keys()].sort()).toEqual(['cc-rates-0', 'cc-rates-1', 'fct-cdf', 'queues-0', 'queues-1', 'reorder', 'throughput', 'uplink-heatmap-0', 'uplink-heatmap-1'])

    reports.forEach((r, k) => {
      const f = r.timeSeries!.fabric
      // Throughput: all hosts' delivered payload per interval, Gb/s; baseline and candidate overlaid.
      const total = f.tPs.map((_, i) => f.hostDeliveredBytes.reduce((s, h) => s + h[i]!, 0))
      close(points(byId.get('throughput')!, k + 1), rates(f.tPs, total, 8e3))
      // FCT CDF: each distinct completion time with the fraction of flows done by then.
      const fcts = r.flows.map((x) => x.fctPs / 1e6).sort((a, b) => a - b)
      const cdf = fcts.map((x, i) => [x, (i + 1) / fcts.length] as [number, number]).filter((p, i) => i === fcts.length - 1 || fcts[i + 1] !== p[0])
      close(points(byId.get('fct-cdf')!, k + 1), cdf)
      // Uplink heatmap: every uplink's utilization per interval.
      const heat = byId.get(`uplink-heatmap-${k}`)!.heatmap!
      expect(heat.rows).toEqual(f.uplinks.map((u) => u.name))
      f.uplinks.forEach((u, row) => close(heat.x.map((x, i) => [x, heat.cells[row]![i]!]), rates(f.tPs, u.bits, 1e12 / u.rateBps)))
      // Busiest queues, reorder occupancy and CC rates: the report's own samples.
      const q = byId.get(`queues-${k}`)!
      expect(q.series).toEqual(f.queues.map((x) => x.name))
      f.queues.forEach((x, j) => close(points(q, j + 1), f.tPs.map((t, i) => [t / 1e6, x.bytes[i]!])))
      close(points(byId.get('reorder')!, k + 1), f.tPs.map((t, i) => [t / 1e6, f.reorderHeld[i]!]))
      r.timeSeries!.flows.slice(0, 8).forEach((s, j) => close(points(byId.get(`cc-rates-${k}`)!, j + 1), s.tPs.map((t, i) => [t / 1e6, s.rateBps[i]! / 1e9])))
    })
  }, 180_000)
})
