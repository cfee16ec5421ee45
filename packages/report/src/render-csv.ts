import type { Report } from './report.ts'
import { linePieces, type LargeText } from './large-text.ts'

/** One CSV field: quoted when it holds a comma, a quote or a line break. */
function field(v: unknown): string {
  const s = v === null || v === undefined ? '' : String(v)
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s
}

/** A CSV table: the header row, then one row each, fields quoted where they need it. */
export function csvTable(header: readonly string[], rows: readonly (readonly unknown[])[]): string {
  return [...csvPieces(header, rows, (r) => r)].join('')
}

/**
 * A CSV table with a row per item of a list that can run to millions (the
 * flows), in pieces (see LargeText), each row made as its piece is: past
 * about 6 M flows one string would pass V8's limit.
 */
export function csvPieces<T>(header: readonly string[], items: readonly T[], row: (item: T) => readonly unknown[]): LargeText {
  return linePieces(header.join(','), items, (x) => row(x).map(field).join(','))
}

/**
 * The report's tables as CSV, one file per table, headers in the first row
 * and units in the column names: `summary.csv` (one row per run, so a
 * comparison's runs sit one above the other), and per run `flows.csv`,
 * `links.csv` (every port that carried anything) and `tiers.csv`.
 */
export function renderSummaryCsv(reports: readonly Report[]): string {
  const header = [
    'profile', 'seed', 'outcome', 'completion_time_us', 'algbw_gbps', 'busbw_gbps', 'efficiency_payload', 'efficiency_wire',
    'goodput_mean_fraction', 'goodput_job_fraction', 'payload_bytes', 'wire_bytes', 'drops', 'trims', 'lost_on_links',
    'retransmitted_packets', 'timeouts', 'naks_sent', 'cnps_sent', 'ecn_marks', 'pfc_pauses', 'pfc_paused_us',
    'reorder_window_peak_packets', 'packet_hops', 'events',
  ]
  return csvTable(
    header,
    reports.map((r) => {
      const s = r.summary
      return [
        r.profile.name, r.seed, r.outcome, s.completionTimePs === null ? null : s.completionTimePs / 1e6, s.algbwGbps, s.busbwGbps, s.efficiency, s.efficiencyWire,
        s.goodputMeanFraction, s.goodputJobFraction, s.payloadBytes, s.wireBytes, s.drops, s.trims, s.lostOnLinks,
        s.retransmittedPackets, s.timeouts, s.naksSent, s.cnpsSent, s.ecnMarks, s.pfcPauses, s.pfcPausedPs / 1e6,
        s.reorderWindowPeak, s.packetHops, s.events,
      ]
    }),
  )
}

export function renderFlowsCsv(r: Report): LargeText {
  return csvPieces(
    ['id', 'src_rank', 'dst_rank', 'src_host', 'dst_host', 'bytes', 'start_ps', 'end_ps', 'fct_ps', 'ideal_fct_ps', 'slowdown'],
    r.flows,
    (f) => [f.id, f.src, f.dst, f.srcHost, f.dstHost, f.bytes, f.startPs, f.endPs, f.fctPs, f.idealFctPs, f.fctPs > 0 ? f.fctPs / f.idealFctPs : null],
  )
}

export function renderLinksCsv(r: Report): string {
  return csvTable(
    ['port', 'tier', 'tx_bytes', 'utilization', 'max_queue_bytes', 'queue_p99_bytes', 'drops', 'ecn_marks', 'trims', 'pauses_received', 'paused_ps'],
    r.ports.map((p) => [p.name, p.tier, p.txBytes, p.utilization, p.maxQueueBytes, p.queueP99Bytes, p.drops, p.ecnMarks, p.trims, p.pausesReceived, p.pausedPs]),
  )
}

export function renderTiersCsv(r: Report): string {
  return csvTable(
    ['tier', 'ports', 'utilization_mean', 'utilization_max', 'imbalance', 'max_queue_bytes', 'queue_p50_bytes', 'queue_p99_bytes', 'drops', 'ecn_marks', 'paused_ps_total', 'paused_ps_max'],
    r.tiers.map((t) => [t.tier, t.ports, t.utilizationMean, t.utilizationMax, t.imbalance, t.maxQueueBytes, t.queueP50Bytes, t.queueP99Bytes, t.drops, t.ecnMarks, t.pausedPsTotal, t.pausedPsMax]),
  )
}
