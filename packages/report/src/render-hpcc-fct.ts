import type { Report } from './report.ts'
import { linePieces, type LargeText } from './large-text.ts'

/** HPCC's ns-3 address of node n: 11.0.x.y, printed as HPCC prints it (8 hex digits). */
function ip(node: number): string {
  const v = 0x0b000001 + Math.floor(node / 256) * 0x10000 + (node % 256) * 0x100
  return v.toString(16).padStart(8, '0')
}

/**
 * HPCC's `fct.txt`: one line a completed flow, in trace order:
 * `sip dip sport dport size start_ns fct_ns standalone_fct_ns`, so results can
 * be compared line by line with HPCC and SimAI runs of the same flow file.
 * Ports: the source port numbers flows in trace order from 10000 (as ns-3
 * hands them out); the destination port is 100 + the flow's channel.
 */
export function renderHpccFct(report: Report): LargeText {
  const ns = (ps: number) => Math.round(ps / 1000)
  return linePieces(null, report.flows, (f, i) =>
    f.fctPs < 0 ? null : `${ip(f.srcHost)} ${ip(f.dstHost)} ${10000 + i} ${100 + f.channel} ${f.bytes} ${ns(f.startPs)} ${ns(f.fctPs)} ${ns(f.idealFctPs)}`,
  )
}
