import { basename } from 'node:path'
import { InputError } from '@aifab/core'
import { loadTrace, mixTraces, parseTrace } from '@aifab/workload'
import { writeTraceFile } from './write-trace-file.ts'

/** `aifab mix a.json b.json ... -o mix.json`: several traces as jobs on one fabric. */
export function mixCommand(files: string[], output: string): void {
  if (files.length < 2) throw new InputError('mix', '', `expected at least two traces, got ${files.length}`)
  const parts = files.map((f) => {
    const trace = loadTrace(f)
    if (trace.jobs) throw new InputError(f, 'jobs', 'already a mix; mix its parts instead')
    return { trace, name: basename(f) }
  })
  const mixed = mixTraces(parts)
  // The mix must read back as a valid trace (channel range, ids, deps).
  parseTrace(JSON.parse(JSON.stringify(mixed)), output)
  writeTraceFile(mixed, output, `, ${mixed.jobs!.length} jobs`)
}
