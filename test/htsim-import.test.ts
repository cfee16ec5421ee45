// htsim connection matrices: triggers become dependencies, and the replay
// honours them; bad lines are named by number.
import { readFileSync } from 'node:fs'
import { importHtsimCm, loadTrace } from '@aifab/workload'
import { parseTopology } from '@aifab/topology'
import { describe, expect, it } from 'vitest'
import { profile, simulate } from './helpers/scenario.ts'

const root = new URL('../', import.meta.url)
const topo = parseTopology(JSON.parse(readFileSync(new URL('configs/topologies/fat-tree-k8-100g.json', root), 'utf8')), 'k8')

describe('htsim .cm import', () => {
  it('send_done and recv_done triggers chain flows: each starts when what it waits for completes', () => {
    const trace = loadTrace(new URL('traces/htsim-chain.cm', root).pathname)
    const { report } = simulate(trace, topo, profile('ai-ethernet'), 1)
    expect(report.outcome).toBe('complete')
    const f = new Map(report.flows.map((x) => [x.id, x]))
    expect(f.get(1)!.startPs).toBe(0)
    expect(f.get(4)!.startPs).toBe(10_000_000) // start 10 us
    expect(f.get(2)!.startPs).toBe(f.get(1)!.endPs)
    expect(f.get(3)!.startPs).toBe(f.get(2)!.endPs)
    // The barrier (count 2) waits for both flow 3 and flow 4.
    expect(f.get(5)!.startPs).toBe(Math.max(f.get(3)!.endPs, f.get(4)!.endPs))
  })

  it('is liberal with spacing, comments and missing ids', () => {
    const { trace } = importHtsimCm('# hi\nNodes 4\n\n  0->1   start 0.5  size 1000   # inline\n2->3 id 7 start 0 size 10\n', 'x.cm')
    expect(trace.ops.map((o) => o.id)).toEqual([8, 7])
    expect(trace.ops[0]!.startNs).toBe(500)
  })

  it('names the line and what was expected', () => {
    const err = (text: string) => {
      try {
        importHtsimCm(text, 'bad.cm')
      } catch (e) {
        return (e as Error).message
      }
      return 'no error'
    }
    expect(err('Nodes 4\n0->1 start 0 size 0\n')).toBe('bad.cm: line 2: expected size > 0 bytes (an endless flow, size 0, cannot complete a trace)')
    expect(err('Nodes 4\n0->9 start 0 size 10\n')).toBe('bad.cm: line 2: node out of range 0..3')
    expect(err('Nodes 4\n0->1 size 10\n')).toBe('bad.cm: line 2: a flow needs a start time or a trigger')
    expect(err('Nodes 4\n0->1 start 0 size 10 colour blue\n')).toMatch(/^bad\.cm: line 2: unknown connection attribute "colour"/)
    expect(err('Nodes 4\n0->1 trigger 5 size 10\n')).toBe('bad.cm: line 2: trigger 5 is never defined')
    expect(err('Nodes 4\nConnections 2\n0->1 start 0 size 10\n')).toBe('bad.cm: line 3: Connections says 2, the file has 1')
    expect(err('Nodes 4\n0->1 id 1 start 0 size 10 recv_done_trigger 1\n1->2 id 2 start 0 size 10 recv_done_trigger 1\n2->3 trigger 1 size 10\ntrigger id 1 oneshot\n')).toMatch(
      /^bad\.cm: line 5: trigger 1 \(oneshot\) has 2 activating flows/,
    )
  })
})
