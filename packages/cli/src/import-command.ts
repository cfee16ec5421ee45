import { readFileSync } from 'node:fs'
import { InputError } from '@aifab/core'
import { importHpccFlows, importHtsimCm, parseTrace } from '@aifab/workload'
import { writeTraceFile } from './write-trace-file.ts'

/** `aifab import htsim-cm|hpcc-flow <file> -o trace.json`: converts and validates, then writes. */
export function importCommand(format: 'htsim-cm' | 'hpcc-flow', file: string, output: string): void {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (e) {
    throw new InputError(file, '', `cannot read file: ${(e as NodeJS.ErrnoException).code ?? String(e)}`)
  }
  const { trace, ignoredFailures } = format === 'htsim-cm' ? importHtsimCm(text, file) : { trace: importHpccFlows(text, file), ignoredFailures: 0 }
  // Validates the converted ops in place (ids, ranks, deps, cycles); imports carry no compute ops, so the in-memory form is the written one.
  parseTrace(trace, file)
  writeTraceFile(trace, output, ignoredFailures > 0 ? `; ${ignoredFailures} failure lines ignored (use --fault)` : '')
}
