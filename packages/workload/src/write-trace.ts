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
  let out = ''
  for (const piece of traceJsonPieces(trace)) out += piece
  return out
}

/**
 * The JSON form in pieces of at most `opsPerPiece` ops, for writing a large
 * trace without building the whole text: joined, they are serializeTrace's JSON.
 */
export function* traceJsonPieces(trace: Trace, opsPerPiece = 4096): Generator<string> {
  const { ops, ...head } = trace
  const headLines = Object.entries(head).map(([k, v]) => `  ${JSON.stringify(k)}: ${JSON.stringify(v)},`)
  yield `{\n${headLines.join('\n')}\n  "ops": [\n`
  for (let i = 0; i < ops.length; i += opsPerPiece) {
    let piece = ''
    const end = Math.min(ops.length, i + opsPerPiece)
    for (let k = i; k < end; k++) {
      const op = ops[k]!
      piece += (k > 0 ? ',\n    ' : '    ') + JSON.stringify(op.kind === 'compute' ? computeForm(op) : op)
    }
    yield piece
  }
  yield '\n  ]\n}\n'
}

/** A compute op as the format writes it: rank and duration, no src, dst or bytes. */
function computeForm(op: TraceOp): Record<string, unknown> {
  const out: Record<string, unknown> = { id: op.id, kind: 'compute', rank: op.src, durationNs: op.durationNs, deps: op.deps }
  if (op.startNs !== undefined) out.startNs = op.startNs
  if (op.job !== undefined) out.job = op.job
  return out
}
