import { readFileSync } from 'node:fs'
import { FieldReader, InputError, jsonErrorText } from '@aifab/core'
import { unpack } from 'msgpackr'
import { COLLECTIVE_KINDS, MAX_CHANNEL, MAX_OP_BYTES, MAX_RANKS, MAX_START_NS, NO_DEPS, type CollectiveInfo, type JobInfo, type Trace, type TraceOp } from './trace.ts'
import { importHtsimCm } from './import-htsim-cm.ts'
import { importHpccFlows } from './import-hpcc-flows.ts'
import { FileLines } from './line-source.ts'
import { OpIndex, opGraph } from './op-graph.ts'
import { streamTraceJson } from './stream-trace-json.ts'


export const TOP_FIELDS = ['format', 'version', 'name', 'description', 'ranks', 'collective', 'placement', 'jobs', 'ops'] as const
const OP_FIELDS = ['id', 'src', 'dst', 'bytes', 'deps', 'startNs', 'channel', 'job'] as const
const COMPUTE_FIELDS = ['id', 'kind', 'rank', 'durationNs', 'deps', 'startNs', 'job'] as const
const JOB_FIELDS = ['name', 'ranks', 'collective'] as const
const COLLECTIVE_FIELDS = ['kind', 'bytes', 'algorithm', 'channels', 'chunkBytes'] as const

/**
 * Reads a trace file: `.msgpack` as msgpack, `.cm` as an htsim connection
 * matrix, `.txt` as an HPCC / SimAI flow file (flow.txt), anything else as JSON; validates it.
 */
export function loadTrace(path: string): Trace {
  const cannot = (e: unknown) => new InputError(path, '', `cannot read trace: ${(e as NodeJS.ErrnoException).code ?? String(e)}`)
  // Flow files are read line by line; the HPCC reader checks every limit itself.
  if (path.endsWith('.cm') || path.endsWith('.txt')) {
    let lines: FileLines
    try {
      lines = new FileLines(path)
    } catch (e) {
      throw cannot(e)
    }
    try {
      if (path.endsWith('.txt')) return importHpccFlows(lines, path)
      return parseTrace(importHtsimCm(lines, path).trace, path)
    } finally {
      lines.close()
    }
  }
  if (!path.endsWith('.msgpack')) {
    // JSON as aifab writes it is read one op at a time; anything else is parsed whole.
    let streamed: Trace | null
    try {
      streamed = streamTraceJson(path)
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === undefined) throw e
      throw cannot(e)
    }
    if (streamed !== null) return streamed
  }
  let raw: Buffer
  try {
    raw = readFileSync(path)
  } catch (e) {
    throw cannot(e)
  }
  let json: unknown
  if (path.endsWith('.msgpack')) {
    try {
      json = unpack(raw)
    } catch (e) {
      throw new InputError(path, '', `not valid msgpack: ${(e as Error).message}`)
    }
  } else {
    const text = raw.toString('utf8')
    try {
      json = JSON.parse(text)
    } catch (e) {
      throw new InputError(path, '', `not valid JSON: ${jsonErrorText(e, text)}`)
    }
  }
  return parseTrace(json, path)
}

/** Validates a parsed trace: field types and ranges, unique ids, known deps, no cycles. */
export function parseTrace(json: unknown, source: string): Trace {
  const r = new FieldReader(source)
  const o = r.versionedObject(json, 'aifab.trace', 1, TOP_FIELDS)
  return parseTraceParts(r, o, Array.isArray(o.ops) ? o.ops : null)
}

/**
 * parseTrace on a trace whose ops come one at a time (`ops`; null if the
 * trace has no ops array): the head's fields in `o`, each op validated and
 * converted as it comes, so a streamed trace never exists twice in memory.
 */
export function parseTraceParts(r: FieldReader, o: Record<string, unknown>, ops: Iterable<unknown> | null): Trace {
  const source = r.source
  const name = r.string(o, 'name', true) ?? source
  const ranks = r.number(o, 'ranks', { integer: true, min: 2, max: MAX_RANKS })
  const trace: Trace = { format: 'aifab.trace', version: 1, name, ranks, ops: [] }

  if (o.collective !== undefined) trace.collective = readCollective(r.at('collective'), o.collective)
  if (o.jobs !== undefined) {
    const rj = r.at('jobs')
    if (!Array.isArray(o.jobs) || o.jobs.length === 0) rj.fail('expected a non-empty array of jobs')
    trace.jobs = (o.jobs as unknown[]).map((raw, i) => {
      const ri = rj.at(i)
      const j = ri.object(raw)
      ri.onlyKeys(j, JOB_FIELDS)
      const job: JobInfo = { name: ri.string(j, 'name')! }
      const jr = ri.number(j, 'ranks', { integer: true, min: 2, max: ranks, optional: true })
      if (jr !== undefined) job.ranks = jr
      if (j.collective !== undefined) {
        if (jr === undefined) ri.fail('a job with a collective needs its ranks (for busbw)', 'ranks')
        job.collective = readCollective(ri.at('collective'), j.collective)
      }
      return job
    })
  }

  if (o.placement !== undefined) {
    const rp = r.at('placement')
    if (!Array.isArray(o.placement) || o.placement.length !== ranks) {
      rp.fail(`expected an array of ${ranks} host indices (one per rank)`)
    }
    const seen = new Map<number, number>()
    trace.placement = (o.placement as unknown[]).map((h: unknown, i: number): number => {
      if (typeof h !== 'number' || !Number.isInteger(h) || h < 0) return rp.fail(`expected a host index >= 0, got ${JSON.stringify(h)}`, i)
      const prev = seen.get(h)
      if (prev !== undefined) rp.fail(`host ${h} already holds rank ${prev}; one rank per host`, i)
      seen.set(h, i)
      return h
    })
  }

  const ro = r.at('ops')
  if (ops === null) ro.fail('expected a non-empty array of ops')
  // Ids equal to positions (the usual case) need no table; the first that is not starts one.
  let ids: Map<number, number> | null = null
  let i = -1
  for (const raw of ops!) {
    i++
    const ri = ro.at(i)
    const op = ri.object(raw)
    const compute = op.kind !== undefined
    if (compute) {
      ri.oneOf(op, 'kind', ['compute'] as const)
      ri.onlyKeys(op, COMPUTE_FIELDS)
    } else {
      ri.onlyKeys(op, OP_FIELDS)
    }
    const id = ri.number(op, 'id', { integer: true, min: 0 })
    if (ids === null && id !== i) {
      ids = new Map()
      for (let k = 0; k < i; k++) ids.set(k, k)
    }
    if (ids !== null) {
      if (ids.has(id)) ri.fail(`duplicate op id ${id} (also ops[${ids.get(id)}])`, 'id')
      ids.set(id, i)
    }
    const rankRange = `rank out of range 0..${ranks - 1}`
    const rank = (key: 'src' | 'dst' | 'rank'): number => {
      const v = op[key]
      if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v >= ranks) return ri.fail(`${rankRange}, got ${JSON.stringify(v)}`, key)
      return v
    }
    let t: TraceOp
    if (compute) {
      const r = rank('rank')
      t = { id, kind: 'compute', src: r, dst: r, bytes: 0, durationNs: ri.number(op, 'durationNs', { min: 0, max: MAX_START_NS }), deps: [] }
    } else {
      const src = rank('src')
      const dst = rank('dst')
      if (src === dst) ri.fail(`expected a rank other than src (${src})`, 'dst')
      t = { id, src, dst, bytes: ri.number(op, 'bytes', { integer: true, min: 1, max: MAX_OP_BYTES }), deps: [] }
    }
    if (!Array.isArray(op.deps) && op.deps !== undefined) ri.fail('expected an array of op ids', 'deps')
    const deps = op.deps as unknown[] | undefined
    t.deps = deps === undefined || deps.length === 0 ? NO_DEPS : deps.map((d, k): number => {
      if (typeof d !== 'number' || !Number.isInteger(d)) return ri.at('deps').fail(`expected an op id, got ${JSON.stringify(d)}`, k)
      return d
    })
    const startNs = ri.number(op, 'startNs', { min: 0, max: MAX_START_NS, optional: true })
    if (startNs !== undefined) t.startNs = startNs
    const channel = compute ? undefined : ri.number(op, 'channel', { integer: true, min: 0, max: MAX_CHANNEL, optional: true })
    if (channel !== undefined) t.channel = channel
    if (trace.jobs) t.job = ri.number(op, 'job', { integer: true, min: 0, max: trace.jobs.length - 1 })
    else if (op.job !== undefined) ri.fail('ops name a job only when the trace has a "jobs" list', 'job')
    trace.ops.push(t)
  }
  if (trace.ops.length === 0) ro.fail('expected a non-empty array of ops')
  const index = OpIndex.of(trace.ops)
  trace.ops.forEach((op, i) =>
    op.deps.forEach((d, k) => {
      if (index.at(d) < 0) ro.at(i).at('deps').fail(`no op has id ${d}`, k)
      if (d === op.id) ro.at(i).at('deps').fail('an op cannot depend on itself', k)
    }),
  )
  checkAcyclic(trace, index, ro)
  return trace
}

function readCollective(rc: FieldReader, raw: unknown): CollectiveInfo {
  const c = rc.object(raw)
  rc.onlyKeys(c, COLLECTIVE_FIELDS)
  const info: CollectiveInfo = { kind: rc.oneOf(c, 'kind', COLLECTIVE_KINDS), bytes: rc.number(c, 'bytes', { integer: true, min: 1 }) }
  const alg = rc.string(c, 'algorithm', true)
  if (alg !== undefined) info.algorithm = alg
  const chunk = rc.number(c, 'chunkBytes', { integer: true, min: 1, optional: true })
  if (chunk !== undefined) info.chunkBytes = chunk
  return info
}

/** Kahn's algorithm: a dependency cycle would leave ops that can never start. */
function checkAcyclic(trace: Trace, index: OpIndex, ro: FieldReader): void {
  const n = trace.ops.length
  const { first, dependents } = opGraph(trace.ops, index)
  const indeg = new Int32Array(n)
  for (let i = 0; i < n; i++) indeg[i] = trace.ops[i]!.deps.length
  const stack = new Int32Array(n)
  let top = 0
  for (let i = 0; i < n; i++) if (indeg[i] === 0) stack[top++] = i
  let seen = 0
  while (top > 0) {
    const i = stack[--top]!
    seen++
    for (let k = first[i]!; k < first[i + 1]!; k++) if (--indeg[dependents[k]!]! === 0) stack[top++] = dependents[k]!
  }
  if (seen < n) {
    const stuck = indeg.findIndex((d) => d > 0)
    ro.at(stuck).fail(`dependency cycle: op ${trace.ops[stuck]!.id} can never start`, 'deps')
  }
}
