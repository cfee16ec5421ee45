import { writeFileSync } from 'node:fs'
import { makeDirs, writePiecesSync } from './output.ts'
import { dirname } from 'node:path'
import { serializeTrace, traceJsonPieces, type Trace } from '@aifab/workload'

/**
 * Writes a trace (msgpack when the name ends in .msgpack, else JSON, written
 * piece by piece so a million ops never become one string) and says so on stderr.
 */
export function writeTraceFile(trace: Trace, output: string, note = ''): void {
  makeDirs(dirname(output))
  if (output.endsWith('.msgpack')) {
    writeFileSync(output, serializeTrace(trace, 'msgpack'))
  } else {
    writePiecesSync(output, traceJsonPieces(trace))
  }
  process.stderr.write(`aifab: wrote ${output} (${trace.ops.length} ops, ${trace.ranks} ranks${note})\n`)
}
