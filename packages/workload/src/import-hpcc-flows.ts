import { InputError } from '@aifab/core'
import { MAX_CHANNEL, MAX_OP_BYTES, MAX_RANKS, MAX_START_NS, NO_DEPS, type Trace, type TraceOp } from './trace.ts'
import { textLines, type LineSource } from './line-source.ts'

/**
 * Reads an HPCC / SimAI ns-3 flow file (`flow.txt`): a first line with the
 * number of flows, then one flow a line: `src dst pg dport size start_seconds`.
 * The priority group is ignored (aifab has one data class); flows between the
 * same two nodes with different destination ports get separate queue pairs
 * (channels), as ns-3 gives each its own. Ranks are nodes 0..max id.
 * Reads line by line (a file through FileLines is never held whole) and checks
 * every limit the trace format has, so the result needs no second validation
 * pass: a 1M-flow file imports in about 200 MB.
 */
export function importHpccFlows(input: string | LineSource, source: string): Trace {
  const fail = (line: number, what: string): never => {
    throw new InputError(source, `line ${line}`, what)
  }
  const lines = typeof input === 'string' ? textLines(input) : input
  let lastLine = 1
  const next = () => {
    for (let raw = lines.next(); raw !== null; raw = lines.next()) {
      const t = (raw.includes('#') ? raw.replace(/#.*/, '') : raw).trim()
      if (t !== '') {
        lastLine = lines.lineNo
        return t
      }
    }
    return null
  }
  const first = next()
  const count = Number(first)
  if (first === null || !Number.isInteger(count) || count < 1) fail(first === null ? 1 : lastLine, `expected the number of flows, got ${JSON.stringify(first ?? '')}`)
  const ops: TraceOp[] = []
  // Channel numbers per (src, dst) pair, by destination port; keyed by one number per pair.
  const channels = new Map<number, Map<number, number>>()
  let maxNode = 1
  for (let n = 0; n < count; n++) {
    const text = next()
    if (text === null) fail(lastLine, `the file announces ${count} flows and ends after ${n}`)
    const line = lastLine
    const f = text!.split(/\s+/)
    if (f.length !== 6) fail(line, `expected "src dst pg dport size start_seconds", got ${f.length} fields`)
    const int = (k: number, what: string, max: number) => {
      const v = Number(f[k])
      if (!Number.isInteger(v) || v < 0 || v > max) fail(line, `expected ${what} (an integer 0..${max}), got ${JSON.stringify(f[k])}`)
      return v
    }
    const src = int(0, 'a source node', MAX_RANKS - 1)
    const dst = int(1, 'a destination node', MAX_RANKS - 1)
    const dport = int(3, 'a destination port', 65535)
    const size = Number(f[4])
    const start = Number(f[5])
    if (!Number.isInteger(size) || size < 1 || size > MAX_OP_BYTES) fail(line, `expected a size in bytes 1..${MAX_OP_BYTES}, got ${JSON.stringify(f[4])}`)
    if (!Number.isFinite(start) || start < 0 || start * 1e9 > MAX_START_NS) fail(line, `expected a start time in seconds 0..${MAX_START_NS / 1e9}, got ${JSON.stringify(f[5])}`)
    if (src === dst) fail(line, `a flow from node ${src} to itself`)
    const pair = src * MAX_RANKS + dst
    let byPort = channels.get(pair)
    if (byPort === undefined) channels.set(pair, (byPort = new Map<number, number>()))
    let channel = byPort.get(dport)
    if (channel === undefined) byPort.set(dport, (channel = byPort.size))
    if (channel > MAX_CHANNEL) fail(line, `more than ${MAX_CHANNEL + 1} destination ports between nodes ${src} and ${dst}`)
    ops.push({ id: n, src, dst, bytes: size, deps: NO_DEPS, startNs: Math.round(start * 1e9), channel })
    if (src > maxNode) maxNode = src
    if (dst > maxNode) maxNode = dst
  }
  const extra = next()
  if (extra !== null) fail(lastLine, `the file announces ${count} flows but has more`)
  return { format: 'aifab.trace', version: 1, name: source.replace(/^.*\//, ''), ranks: maxNode + 1, ops }
}
