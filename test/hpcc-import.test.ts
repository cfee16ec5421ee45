// HPCC / SimAI flow files in, HPCC's fct.txt out.
import { readFileSync } from 'node:fs'
import { importHpccFlows, loadTrace } from '@aifab/workload'
import { parseTopology } from '@aifab/topology'
import { renderHpccFct } from '@aifab/report'
import { describe, expect, it } from 'vitest'
import { profile, simulate } from './helpers/scenario.ts'

const root = new URL('../', import.meta.url)

describe('HPCC flow.txt', () => {
  it('reads flows with start times in seconds, one queue pair per destination port', () => {
    const t = importHpccFlows('3\n0 5 3 100 1000 2.0\n0 5 3 101 1000 2.5\n1 2 3 100 10 0\n', 'flow.txt')
    expect(t.ranks).toBe(6)
    expect(t.ops.map((o) => [o.src, o.dst, o.bytes, o.startNs, o.channel])).toEqual([
      [0, 5, 1000, 2e9, 0],
      [0, 5, 1000, 2.5e9, 1],
      [1, 2, 10, 0, 0],
    ])
  })

  it('names the line of a bad flow', () => {
    const err = (text: string) => {
      try {
        importHpccFlows(text, 'flow.txt')
      } catch (e) {
        return (e as Error).message
      }
      return 'no error'
    }
    expect(err('2\n0 1 3 100 10 0\n')).toBe('flow.txt: line 2: the file announces 2 flows and ends after 1')
    expect(err('1\n0 1 3 100 ten 0\n')).toBe('flow.txt: line 2: expected a size in bytes 1..1099511627776, got "ten"')
    expect(err('1\n0 1 3 100 10\n')).toBe('flow.txt: line 2: expected "src dst pg dport size start_seconds", got 5 fields')
    expect(err('x\n')).toBe('flow.txt: line 1: expected the number of flows, got "x"')
    // The trace format's limits are checked while reading (the import has no second validation pass).
    expect(err('1\n0 1 3 100 10 2000\n')).toBe('flow.txt: line 2: expected a start time in seconds 0..1000, got "2000"')
    expect(err('1\n0 2000000 3 100 10 0\n')).toBe('flow.txt: line 2: expected a destination node (an integer 0..1048575), got "2000000"')
  })

  it('replays, and writes fct.txt lines with HPCC addresses, the FCT and the standalone FCT', () => {
    const topo = parseTopology(JSON.parse(readFileSync(new URL('configs/topologies/fat-tree-k8-100g.json', root), 'utf8')), 'k8')
    const trace = loadTrace(new URL('traces/hpcc-flow.txt', root).pathname)
    const { report } = simulate(trace, topo, profile('ai-ethernet'), 1)
    expect(report.outcome).toBe('complete')
    const lines = [...renderHpccFct(report)].join('').trim().split('\n')
    expect(lines.length).toBe(4)
    const [sip, dip, sport, , size, start, fct, standalone] = lines[0]!.split(' ')
    expect([sip, dip, sport, size, start]).toEqual(['0b000001', '0b004001', '10000', '1000000', '2000000000'])
    // Never faster than alone; the flow sharing host 64 with another is slower.
    for (const l of lines) {
      const f = l.split(' ').map(Number)
      expect(f[6]!).toBeGreaterThanOrEqual(f[7]! - 1)
    }
    expect(Number(fct)).toBeGreaterThan(Number(standalone) * 1.2)
  })
})
