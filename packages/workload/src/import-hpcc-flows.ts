import { InputError } from '@aifab/core'
import type { Trace, TraceOp } from './trace.ts'

/**
 * Reads an HPCC / SimAI ns-3 flow file (`flow.txt`): a first line with the
 * number of flows, then one flow a line: `src dst pg dport size start_seconds`.
 * The priority group is ignored (aifab has one data class); flows between the
 * same two nodes with different destination ports get separate queue pairs
 * (channels), as ns-3 gives each its own. Ranks are nodes 0..max id.
 */
export function importHpccFlows(text: string, source: string): Trace {
  const fail = (line: number, what: string): never => {
    throw new InputError(source, `line ${line}`, what)
  }
  const lines = text.split(/\r?\n/)
  let i = 0
  let lastLine = 1
  const next = () => {
    while (i < lines.length) {
      const t = lines[i++]!.replace(/#.*/, '').trim()
      if (t !== '') {
        lastLine = i
        return t
      }
    }
    return null
  }
  const first = next()
  const count = Number(first)
  if (first === null || !Number.isInteger(count) || count < 1) fail(i || 1, `expected the number of flows, got ${JSON.stringify(first ?? '')}`)
  const ops: TraceOp[] = []
  const channels = new Map<string, Map<number, number>>()
  let maxNode = 1
  for (let n = 0; n < count; n++) {
    const text = next()
    if (text === null) fail(lastLine, `the file announces ${count} flows and ends after ${n}`)
    const line = i
    const f = text!.split(/\s+/)
    if (f.length !== 6) fail(line, `expected "src dst pg dport size start_seconds", got ${f.length} fields`)
    const int = (k: number, what: string) => {
      const v = Number(f[k])
      if (!Number.isInteger(v) || v < 0) fail(line, `expected ${what}, got ${JSON.stringify(f[k])}`)
      return v
    }
    const src = int(0, 'a source node')
    const dst = int(1, 'a destination node')
    const dport = int(3, 'a destination port')
    const size = Number(f[4])
    const start = Number(f[5])
    if (!Number.isInteger(size) || size < 1) fail(line, `expected a size in bytes >= 1, got ${JSON.stringify(f[4])}`)
    if (!Number.isFinite(start) || start < 0) fail(line, `expected a start time in seconds >= 0, got ${JSON.stringify(f[5])}`)
    if (src === dst) fail(line, `a flow from node ${src} to itself`)
    const pair = `${src}/${dst}`
    const byPort = channels.get(pair) ?? new Map<number, number>()
    channels.set(pair, byPort)
    if (!byPort.has(dport)) byPort.set(dport, byPort.size)
    ops.push({ id: n, src, dst, bytes: size, deps: [], startNs: Math.round(start * 1e9), channel: byPort.get(dport)! })
    maxNode = Math.max(maxNode, src, dst)
  }
  const extra = next()
  if (extra !== null) fail(i, `the file announces ${count} flows but has more`)
  return { format: 'aifab.trace', version: 1, name: source.replace(/^.*\//, ''), ranks: maxNode + 1, ops }
}
