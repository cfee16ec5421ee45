// A link fails during a ring all-reduce: with spraying, out-of-order placement
// and retransmission the collective still completes with every byte delivered,
// and the report shows what was lost and how long recovery took.
import { genRingAllreduce, placementOf } from '@aifab/workload'
import { describe, expect, it } from 'vitest'
import { leafSpine, profile, simulate } from './helpers/scenario.ts'

const topo = leafSpine({ leaves: 4, spines: 4, hostsPerLeaf: 4 })
const ranks = 16
const trace = genRingAllreduce({ ranks, bytes: 16 << 20, placement: placementOf('interleave', ranks, 4, 4) })
const fault = { kind: 'down' as const, link: 'leaf0-spine1', atUs: 50 }

describe('a link failure during a ring all-reduce', () => {
  const healthy = simulate(trace, topo, profile('ai-ethernet'), 1).report
  const { report: failed, fabric } = simulate(trace, topo, { ...profile('ai-ethernet'), faults: [fault] }, 1)

  it('the collective completes and every byte arrives', () => {
    expect(failed.outcome).toBe('complete')
    expect(failed.summary.payloadBytes).toBe(healthy.summary.payloadBytes)
    expect(failed.conservation.ok).toBe(true)
  })

  it('the report shows the lost packets, the detection and the recovery time', () => {
    const [r] = failed.faults
    expect(r!.link).toBe('leaf0-spine1')
    expect(r!.atPs).toBe(50_000_000)
    expect(r!.detectedAtPs).toBe(50_000_000 + 10_000_000)
    expect(r!.lostDataPackets).toBeGreaterThan(0)
    expect(failed.summary.retransmittedPackets).toBeGreaterThanOrEqual(r!.lostDataPackets)
    // Recovered once every destroyed packet was delivered again: after the loss, within the run.
    expect(r!.recoveryTimePs).toBeGreaterThan(0)
    expect(r!.atPs + r!.recoveryTimePs!).toBeLessThanOrEqual(failed.summary.completionTimePs!)
  })

  it('after detection no switch sends over the failed cable, and the run pays for a smaller fabric', () => {
    const up = fabric.cables.get('leaf0-spine1')!
    for (const p of up) expect(p.down).toBe(true)
    expect(fabric.switches[0]!.candidates(4)).toEqual([4, 6, 7])
    expect(failed.summary.completionTimePs!).toBeGreaterThan(healthy.summary.completionTimePs!)
  })

  it('a host cable failing with ACKs queued at its NIC keeps every frame accounted for', () => {
    const { report } = simulate(trace, topo, { ...profile('ai-ethernet'), faults: [{ kind: 'down', link: 'host0-leaf0', atUs: 30, untilUs: 40 }] }, 1)
    expect(report.conservation.ok).toBe(true)
    expect(report.outcome).toBe('complete')
    expect(report.faults[0]!.lostFrames).toBeGreaterThan(0)
  })

  it('losses on a cable count against the fault that caused them', () => {
    const { report } = simulate(
      trace,
      topo,
      {
        ...profile('ai-ethernet'),
        faults: [
          { kind: 'loss', link: 'leaf0-spine1', atUs: 0, lossRate: 0.01 },
          { kind: 'down', link: 'leaf0-spine1', atUs: 50, untilUs: 60 },
        ],
      },
      1,
    )
    const [loss, down] = report.faults
    expect(loss!.lostFrames).toBeGreaterThan(0)
    expect(down!.lostFrames).toBeGreaterThan(0)
    expect(loss!.lostFrames + down!.lostFrames).toBe(report.summary.lostOnLinks + fabricQueueFaultDrops(report))
    expect(loss!.recoveryTimePs).toBeNull()
    expect(down!.recoveryTimePs).toBeGreaterThan(0)
  })

  it('random loss on a link is recovered too, and counted', () => {
    const lossy = simulate(trace, topo, { ...profile('ai-ethernet'), faults: [{ kind: 'loss', link: 'spine0>leaf2', atUs: 0, lossRate: 0.01 }] }, 1).report
    expect(lossy.outcome).toBe('complete')
    expect(lossy.summary.lostOnLinks).toBeGreaterThan(0)
    expect(lossy.faults[0]!.lostFrames).toBe(lossy.summary.lostOnLinks)
    expect(lossy.conservation.ok).toBe(true)
  })

  it('a degraded link (100G of 400G) slows an ECMP ring that hashes onto it', () => {
    const slow = simulate(trace, topo, { ...profile('ai-ethernet', { switch: { loadBalancing: 'ecmp' } }), faults: [{ kind: 'rate', link: 'leaf0-spine1', atUs: 0, rateGbps: 100 }] }, 1).report
    const base = simulate(trace, topo, profile('ai-ethernet', { switch: { loadBalancing: 'ecmp' } }), 1).report
    expect(slow.summary.completionTimePs!).toBeGreaterThan(1.5 * base.summary.completionTimePs!)
    expect(slow.outcome).toBe('complete')
  })
})

/** Frames the failed cable's ports dropped from their queues (counted in drops, not on the links). */
function fabricQueueFaultDrops(report: { ports: { name: string; drops: number }[] }): number {
  return report.ports.filter((p) => p.name === 'leaf0>spine1' || p.name === 'spine1>leaf0').reduce((s, p) => s + p.drops, 0)
}
