// Compute gaps between collectives: an op of kind compute holds its rank's
// successors for durationNs and moves no bytes.
import { parseTrace, serializeTrace, type Trace } from '@aifab/workload'
import { unpack } from 'msgpackr'
import { describe, expect, it } from 'vitest'
import { leafSpine, profile, simulate } from './helpers/scenario.ts'
import { inputWarnings } from '@aifab/core'

const json = {
  format: 'aifab.trace',
  version: 1,
  name: 'compute-gap',
  ranks: 3,
  ops: [
    { id: 0, src: 0, dst: 1, bytes: 1 << 20, deps: [] },
    { id: 1, kind: 'compute', rank: 1, durationNs: 5000, deps: [0] },
    { id: 2, src: 1, dst: 2, bytes: 1 << 20, deps: [1] },
  ],
}

describe('compute ops', () => {
  it('delay their dependents by their duration and are not flows', () => {
    const trace = parseTrace(json, 't.json')
    const { report } = simulate(trace, leafSpine({ leaves: 2 }), profile('ai-ethernet'), 1)
    expect(report.outcome).toBe('complete')
    expect(report.flows.map((f) => f.id)).toEqual([0, 2])
    const [a, b] = report.flows
    expect(b!.startPs).toBe(a!.endPs + 5_000_000)
    expect(report.summary.completionTimePs).toBe(b!.endPs)
    expect(report.summary.payloadBytes).toBe(2 << 20)
  })

  it('keep their written form through JSON and msgpack', () => {
    const trace = parseTrace(json, 't.json')
    expect(JSON.parse(serializeTrace(trace, 'json') as string).ops[1]).toEqual(json.ops[1])
    expect((unpack(serializeTrace(trace, 'msgpack') as Uint8Array) as Trace).ops[1]).toEqual(json.ops[1])
  })

  it('ignore the fields of a send, with a warning naming them', () => {
    inputWarnings.take()
    const bad = { ...json, ops: [json.ops[0], { ...json.ops[1], bytes: 10 }, json.ops[2]] }
    expect(parseTrace(bad, 't.json').ops[1]!.bytes).toBe(0)
    expect(inputWarnings.take()).toEqual(['t.json: ops[*].bytes: unknown field, ignored; expected one of: id, kind, rank, durationNs, deps, startNs, job'])
  })
})
