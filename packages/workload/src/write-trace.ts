import { pack } from 'msgpackr'
import type { Trace } from './trace.ts'

/**
 * Serializes a trace: msgpack, or JSON with one op per line so large traces
 * stay readable and diff well. Same schema either way.
 */
export function serializeTrace(trace: Trace, format: 'json' | 'msgpack'): Uint8Array | string {
  if (format === 'msgpack') return pack(trace)
  const { ops, ...head } = trace
  const headLines = Object.entries(head).map(([k, v]) => `  ${JSON.stringify(k)}: ${JSON.stringify(v)},`)
  const opLines = ops.map((op) => '    ' + JSON.stringify(op)).join(',\n')
  return `{\n${headLines.join('\n')}\n  "ops": [\n${opLines}\n  ]\n}\n`
}
