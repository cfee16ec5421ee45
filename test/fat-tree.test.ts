// The htsim comparison workload: a 128-host permutation of 2 MB flows on a
// k=8 fat tree. htsim reports a job goodput of about 0.2 with single-path ECMP
// and 0.8 with spraying; the exact values depend on the transport, so the test
// checks the ordering and a wide band.
import { readFileSync } from 'node:fs'
import { parseTopology } from '@aifab/topology'
import { genAlltoall, genPermutation } from '@aifab/workload'
import { describe, expect, it } from 'vitest'
import { profile, simulate } from './helpers/scenario.ts'

const topo = parseTopology(JSON.parse(readFileSync(new URL('../configs/topologies/fat-tree-k8-100g.json', import.meta.url), 'utf8')), 'k8')
const trace = genPermutation({ ranks: 128, bytes: 2_000_000, seed: 1 })

describe('128-host permutation on a k=8 fat tree', () => {
  it('single-path ECMP leaves the job far below per-packet spraying', () => {
    const ecmp = simulate(trace, topo, profile('roce'), 1).report
    const spray = simulate(trace, topo, profile('ai-ethernet', { switch: { loadBalancing: 'spray' } }), 1).report
    for (const r of [ecmp, spray]) {
      expect(r.outcome).toBe('complete')
      expect(r.conservation.ok).toBe(true)
    }
    expect(ecmp.summary.goodputJobFraction).toBeLessThan(0.4)
    expect(spray.summary.goodputJobFraction).toBeGreaterThan(0.6)
    expect(ecmp.paths.maxPerQueuePair).toBe(1)
    // Spraying: every flow leaving its pod spreads over the 4 uplinks at each level.
    expect(spray.paths.maxPerQueuePair).toBe(4)
  })
})

describe('path sets on a k=8 fat tree all-to-all', () => {
  it('a switch keeps an entry for each queue pair that met a choice there, and for no other', () => {
    // 16,256 queue pairs of one packet each. Going up, a packet chooses among 4 aggregation switches at its edge
    // switch unless its destination shares the edge, and among 4 cores at its aggregation switch if it leaves the pod.
    const { report, fabric } = simulate(genAlltoall({ ranks: 128, bytes: 4096 * 128 }), topo, profile('ai-ethernet'), 1)
    expect(report.outcome).toBe('complete')
    const sizes = (prefix: string) => fabric.switches.filter((s) => s.cfg.name.startsWith(prefix)).map((s) => s.paths.size)
    // Each edge switch: its 4 hosts x the 124 hosts on other edges. The aggregation switches between them: every
    // host x the 112 outside its pod, each queue pair at the one aggregation switch its packet went up through.
    const edge = sizes('edge')
    const agg = sizes('agg')
    expect(edge).toHaveLength(32)
    expect(edge.every((n) => n === 4 * 124)).toBe(true)
    expect(agg.reduce((a, b) => a + b, 0)).toBe(128 * 112)
    expect(sizes('core').every((n) => n === 0)).toBe(true)
    expect(report.paths.queuePairs).toBe(128 * 127)
  })
})
