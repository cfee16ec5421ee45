import { Packr } from 'msgpackr'
import type { Trace, TraceOp } from './trace.ts'

/**
 * Serializes a trace: msgpack, or JSON with one op per line so large traces
 * stay readable and diff well. Same schema either way. msgpack uses record
 * structures (each op shape's keys written once, not per op), which any
 * msgpackr `unpack` reads; a fresh packer per trace keeps the bytes a function
 * of the trace alone.
 */
export function serializeTrace(trace: Trace, format: 'json' | 'msgpack'): Uint8Array | string {
  if (format === 'msgpack') return new Packr({ useRecords: true }).pack({ ...trace, ops: trace.ops.map((op) => (op.kind === 'compute' ? computeForm(op) : op)) })
  const { ops, ...head } = trace
  const headLines = Object.entries(head).map(([k, v]) => `  ${JSON.stringify(k)}: ${JSON.stringify(v)},`)
  const opLines = ops.map((op) => '    ' + JSON.stringify(op.kind === 'compute' ? computeForm(op) : op)).join(',\n')
  return `{\n${headLines.join('\n')}\n  "ops": [\n${opLines}\n  ]\n}\n`
}

/** A compute op as the format writes it: rank and duration, no src, dst or bytes. */
function computeForm(op: TraceOp): Record<string, unknown> {
  const out: Record<string, unknown> = { id: op.id, kind: 'compute', rank: op.src, durationNs: op.durationNs, deps: op.deps }
  if (op.startNs !== undefined) out.startNs = op.startNs
  if (op.job !== undefined) out.job = op.job
  return out
}
