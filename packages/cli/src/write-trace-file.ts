import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { serializeTrace, type Trace } from '@aifab/workload'

/** Writes a trace (msgpack when the name ends in .msgpack, else JSON) and says so on stderr. */
export function writeTraceFile(trace: Trace, output: string, note = ''): void {
  mkdirSync(dirname(output), { recursive: true })
  writeFileSync(output, serializeTrace(trace, output.endsWith('.msgpack') ? 'msgpack' : 'json'))
  process.stderr.write(`aifab: wrote ${output} (${trace.ops.length} ops, ${trace.ranks} ranks${note})\n`)
}
