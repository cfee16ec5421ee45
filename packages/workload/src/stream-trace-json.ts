import { FieldReader, InputWarnings, inputWarnings } from '@aifab/core'
import { closeSync, openSync, readSync } from 'node:fs'
import { FileLines } from './line-source.ts'
import { TOP_FIELDS, parseTraceParts } from './parse-trace.ts'
import type { Trace } from './trace.ts'

/** The file is valid JSON, maybe, but not laid out as aifab writes traces. */
class NotLineLayout extends Error {}

/**
 * Reads a JSON trace laid out as aifab writes them (write-trace.ts: the head
 * fields one per line, then one op per line) one line at a time, validating
 * each op as it is read, so neither the text nor a second copy of the ops is
 * ever in memory. Returns null as soon as the file departs from that layout;
 * the caller then parses it whole (which also reports any JSON syntax error
 * with its position). Errors in the trace's content are thrown as usual.
 */
export function streamTraceJson(path: string): Trace | null {
  // aifab's layout starts with a line holding only "{": anything else (minified JSON above all) is parsed whole at once.
  const fd = openSync(path, 'r')
  const start = Buffer.alloc(3)
  const n = readSync(fd, start, 0, 3, 0)
  closeSync(fd)
  const head = start.subarray(0, n).toString('latin1')
  if (!(head.startsWith('{\n') || head === '{\r\n')) return null
  const lines = new FileLines(path)
  try {
    return streamFrom(lines, path)
  } finally {
    lines.close()
  }
}

function streamFrom(lines: FileLines, path: string): Trace | null {
  const mismatch = () => new NotLineLayout()
  if (lines.next() !== '{') return null
  const head: Record<string, unknown> = {}
  for (;;) {
    const line = lines.next()
    if (line === null) return null
    if (line === '  "ops": [') break
    const m = /^ {2}"(\w+)": (.*),$/.exec(line)
    if (m === null) return null
    try {
      head[m[1]!] = JSON.parse(m[2]!)
    } catch {
      return null
    }
  }
  function* ops(): Generator<unknown> {
    let more = false
    for (let line = lines.next(); line !== null; line = lines.next()) {
      if (line === '  ]') {
        if (more || lines.next() !== '}' || lines.next() !== null) throw mismatch()
        return
      }
      if (!line.startsWith('    {')) throw mismatch()
      more = line.endsWith(',')
      try {
        yield JSON.parse(more ? line.slice(4, -1) : line.slice(4))
      } catch {
        throw mismatch()
      }
    }
    throw mismatch()
  }
  // Warnings wait in a collector of their own: if the layout breaks, the whole parse warns again.
  const warnings = new InputWarnings()
  const r = new FieldReader(path, '', warnings)
  let trace: Trace
  try {
    trace = parseTraceParts(r, r.versionedObject(head, 'aifab.trace', 1, TOP_FIELDS), ops())
  } catch (e) {
    if (e instanceof NotLineLayout) return null
    warnings.moveInto(inputWarnings)
    throw e
  }
  warnings.moveInto(inputWarnings)
  return trace
}
