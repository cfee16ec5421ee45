import { InputError } from '@aifab/core'
import { FileLines, importHpccFlows, importHtsimCm, parseTrace, type Trace } from '@aifab/workload'
import { writeTraceFile } from './write-trace-file.ts'

/** `aifab import htsim-cm|hpcc-flow <file> -o trace.json`: converts and validates, then writes. */
export function importCommand(format: 'htsim-cm' | 'hpcc-flow', file: string, output: string): void {
  let lines: FileLines
  try {
    lines = new FileLines(file)
  } catch (e) {
    throw new InputError(file, '', `cannot read file: ${(e as NodeJS.ErrnoException).code ?? String(e)}`)
  }
  if (format === 'hpcc-flow') {
    // The flow reader checks every limit of the trace format itself, and its flows have no deps to check.
    let trace: Trace
    try {
      trace = importHpccFlows(lines, file)
    } finally {
      lines.close()
    }
    writeTraceFile(trace, output)
    return
  }
  let imported: ReturnType<typeof importHtsimCm>
  try {
    imported = importHtsimCm(lines, file)
  } finally {
    lines.close()
  }
  const { trace, ignoredFailures } = imported
  // Triggers become deps: check ids, ranks and that no chain of them is a cycle.
  parseTrace(trace, file)
  writeTraceFile(trace, output, ignoredFailures > 0 ? `; ${ignoredFailures} failure lines ignored (use --fault)` : '')
}
