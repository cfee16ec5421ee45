import { InputError } from '@aifab/core'
import type { Trace, TraceOp } from './trace.ts'
import { textLines, type LineSource } from './line-source.ts'

/**
 * Reads an htsim connection matrix (.cm) into a trace. Lines (tokens split on
 * any whitespace; `#` starts a comment anywhere, blank lines are fine):
 *   Nodes N / Connections C / Triggers T / Failures F   header counts
 *   SRC->DST [id I] [start US] [size BYTES] [prio P] [trigger T] [send_done_trigger T] [recv_done_trigger T]
 *   trigger id T oneshot|multishot|barrier [count K]
 * A flow starts at `start` (microseconds, as htsim's writer prints it) or when
 * its trigger fires. A trigger is activated by the flows naming it as their
 * send_done or recv_done trigger; aifab expresses that as dependencies: the
 * triggered flows depend on the activating flows. So a oneshot or multishot
 * trigger must have one activating flow, and a barrier as many as its count.
 * Both kinds of "done" map to the flow's completion at its receiver (htsim's
 * send_done comes once the sender has its ACKs, a round trip later at most).
 * Liberal where htsim is strict: extra spaces and tabs, comments anywhere,
 * missing ids (numbered after the largest given), and `Failures` lines, which
 * are counted and ignored (use aifab's faults instead).
 */
export function importHtsimCm(input: string | LineSource, source: string): { trace: Trace; ignoredFailures: number } {
  const fail = (line: number, what: string): never => {
    throw new InputError(source, `line ${line}`, what)
  }
  let nodes = -1
  let declaredConns = -1
  let declaredTriggers = -1
  interface Flow { line: number; src: number; dst: number; id?: number; startUs?: number; size?: number; trigger?: number; sendDone?: number; recvDone?: number }
  const flows: Flow[] = []
  const triggers = new Map<number, { line: number; type: string; count: number }>()
  let failures = 0
  const lines = typeof input === 'string' ? textLines(input) : input
  for (let raw = lines.next(); raw !== null; raw = lines.next()) {
    const line = lines.lineNo
    const tokens = raw.replace(/#.*/, '').trim().split(/\s+/).filter(Boolean)
    if (tokens.length === 0) continue
    const num = (t: string | undefined, what: string, integer = true): number => {
      const v = Number(t)
      if (t === undefined || !Number.isFinite(v) || v < 0 || (integer && !Number.isInteger(v))) fail(line, `expected ${what} after ${tokens[tokens.indexOf(t!) - 1] ?? 'it'}, got ${JSON.stringify(t ?? '')}`)
      return v
    }
    const head = tokens[0]!
    if (head === 'Nodes') nodes = num(tokens[1], 'a node count')
    else if (head === 'Connections') declaredConns = num(tokens[1], 'a connection count')
    else if (head === 'Triggers') declaredTriggers = num(tokens[1], 'a trigger count')
    else if (head === 'Failures') num(tokens[1], 'a failure count')
    else if (head === 'failure') failures++
    else if (head === 'trigger') {
      let id = 0
      let type = ''
      let count = 0
      for (let k = 1; k < tokens.length; k++) {
        const t = tokens[k]!
        if (t === 'id') id = num(tokens[++k], 'a trigger id')
        else if (t === 'count') count = num(tokens[++k], 'a count')
        else if (t === 'oneshot' || t === 'multishot' || t === 'barrier') type = t
        else fail(line, `unknown trigger attribute ${JSON.stringify(t)}; expected id, count, oneshot, multishot or barrier`)
      }
      if (id === 0) fail(line, 'expected a trigger id other than 0')
      if (type === '') fail(line, `trigger ${id} has no type (oneshot, multishot or barrier)`)
      if (triggers.has(id)) fail(line, `trigger ${id} is defined again (first at line ${triggers.get(id)!.line})`)
      triggers.set(id, { line, type, count })
    } else if (head.includes('->')) {
      const m = /^(\d+)->(\d+)$/.exec(head)
      if (!m) fail(line, `expected SRC->DST, got ${JSON.stringify(head)}`)
      const f: Flow = { line, src: Number(m![1]), dst: Number(m![2]) }
      for (let k = 1; k < tokens.length; k++) {
        const t = tokens[k]!
        if (t === 'id') f.id = num(tokens[++k], 'a flow id')
        else if (t === 'start') f.startUs = num(tokens[++k], 'a start time in microseconds', false)
        else if (t === 'size') f.size = num(tokens[++k], 'a size in bytes')
        else if (t === 'prio') num(tokens[++k], 'a priority')
        else if (t === 'trigger') f.trigger = num(tokens[++k], 'a trigger id')
        else if (t === 'send_done_trigger') f.sendDone = num(tokens[++k], 'a trigger id')
        else if (t === 'recv_done_trigger') f.recvDone = num(tokens[++k], 'a trigger id')
        else fail(line, `unknown connection attribute ${JSON.stringify(t)}; expected id, start, size, prio, trigger, send_done_trigger or recv_done_trigger`)
      }
      if (f.startUs === undefined && f.trigger === undefined) fail(line, 'a flow needs a start time or a trigger')
      if (f.startUs !== undefined && f.trigger !== undefined) fail(line, 'a flow has both a start time and a trigger; htsim allows one')
      if (f.size === undefined || f.size === 0) fail(line, 'expected size > 0 bytes (an endless flow, size 0, cannot complete a trace)')
      flows.push(f)
    } else {
      fail(line, `unknown line starting ${JSON.stringify(head)}; expected Nodes, Connections, Triggers, Failures, SRC->DST, trigger or failure`)
    }
  }
  if (nodes < 2) fail(1, 'expected a "Nodes N" header with N >= 2')
  if (declaredConns >= 0 && declaredConns !== flows.length) fail(lines.lineNo, `Connections says ${declaredConns}, the file has ${flows.length}`)
  if (declaredTriggers >= 0 && declaredTriggers !== triggers.size) fail(lines.lineNo, `Triggers says ${declaredTriggers}, the file has ${triggers.size}`)

  // Ids: the given ones (unique), then the rest numbered after the largest.
  const seen = new Map<number, number>()
  let next = 1
  for (const f of flows) if (f.id !== undefined) {
    if (seen.has(f.id)) fail(f.line, `flow id ${f.id} is used again (first at line ${seen.get(f.id)})`)
    seen.set(f.id, f.line)
    next = Math.max(next, f.id + 1)
  }
  for (const f of flows) if (f.id === undefined) f.id = next++

  // Trigger t fires when its activating flows are done; flows waiting on t depend on them.
  const activators = new Map<number, number[]>()
  for (const f of flows) {
    for (const t of [f.sendDone, f.recvDone]) {
      if (t === undefined) continue
      if (!triggers.has(t)) fail(f.line, `trigger ${t} is never defined`)
      activators.set(t, [...(activators.get(t) ?? []), f.id!])
    }
  }
  const ops: TraceOp[] = flows.map((f) => {
    if (f.src >= nodes || f.dst >= nodes) fail(f.line, `node out of range 0..${nodes - 1}`)
    if (f.src === f.dst) fail(f.line, `a flow from node ${f.src} to itself`)
    const op: TraceOp = { id: f.id!, src: f.src, dst: f.dst, bytes: f.size!, deps: [] }
    if (f.startUs !== undefined) op.startNs = f.startUs * 1000
    if (f.trigger !== undefined) {
      const t = triggers.get(f.trigger)
      if (t === undefined) fail(f.line, `trigger ${f.trigger} is never defined`)
      const acts = activators.get(f.trigger) ?? []
      const need = t!.type === 'barrier' ? t!.count : 1
      if (acts.length !== need) {
        fail(t!.line, `trigger ${f.trigger} (${t!.type}${t!.type === 'barrier' ? ` count ${t!.count}` : ''}) has ${acts.length} activating flows; aifab maps triggers to "after all of these", so it needs exactly ${need}`)
      }
      op.deps = acts
    }
    return op
  })
  return { trace: { format: 'aifab.trace', version: 1, name: source.replace(/^.*\//, ''), ranks: nodes, ops }, ignoredFailures: failures }
}
