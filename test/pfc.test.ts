// PFC: lossless incast, pauses counted, headroom honest, and the price:
// head-of-line blocking that spreads congestion to a flow that never meets the
// incast's destination.
import { describe, expect, it } from 'vitest'
import { flowsTrace, leafSpine, profile, simulate } from './helpers/scenario.ts'

const topo = leafSpine({ leaves: 2, spines: 8, hostsPerLeaf: 8 })
const pfc = { xoffBytes: 65536, xonBytes: 49152, headroomBytes: 65536 }
const lossless = profile('roce', { switch: { pfc } })
const lossy = profile('roce', { switch: { pfc: null } })

describe('PFC', () => {
  it('incast 15 -> 1 with PFC: no drops, the bottleneck busy nearly all the time, pauses counted', () => {
    const trace = flowsTrace(
      Array.from({ length: 15 }, (_, i): [number, number] => [i + 1, 0]),
      1 << 20,
      16,
    )
    const { report, fabric } = simulate(trace, topo, lossless, 1)
    const s = report.summary
    expect(report.outcome).toBe('complete')
    expect(report.conservation.ok).toBe(true)
    expect(s.drops).toBe(0)
    expect(s.pfcHeadroomOverflows).toBe(0)
    expect(s.retransmittedPackets).toBe(0)
    expect(s.pfcPauses).toBeGreaterThan(0)
    expect(s.pfcPausedPs).toBeGreaterThan(0)
    const bottleneck = fabric.ports.find((p) => p.name === 'leaf0>host0')!
    // Busy from its first frame to its last, but for the first packet's trip.
    expect(bottleneck.busyPs / s.completionTimePs!).toBeGreaterThan(0.97)
  })

  it('the same incast without PFC and with a small buffer drops, retransmits and takes longer', () => {
    const trace = flowsTrace(
      Array.from({ length: 15 }, (_, i): [number, number] => [i + 1, 0]),
      1 << 20,
      16,
    )
    const small = leafSpine({ leaves: 2, spines: 8, hostsPerLeaf: 8, portBufferBytes: 131072 })
    const withPfc = simulate(trace, small, profile('roce', { switch: { pfc, ecn: null } }), 1).report
    const without = simulate(trace, small, profile('roce', { switch: { pfc: null, ecn: null } }), 1).report
    expect(withPfc.summary.drops).toBe(0)
    expect(without.summary.drops).toBeGreaterThan(0)
    expect(without.summary.retransmittedPackets).toBeGreaterThan(0)
    expect(without.conservation.ok).toBe(true)
    expect(without.summary.completionTimePs!).toBeGreaterThan(1.1 * withPfc.summary.completionTimePs!)
  })

  it('congestion spreading: a victim that only shares upstream ports is slowed far more with PFC', () => {
    // Seven hosts under leaf 1 send to host 0; host 15 (also under leaf 1) sends to host 1.
    const flows: [number, number][] = [...Array.from({ length: 7 }, (_, i): [number, number] => [8 + i, 0]), [15, 1]]
    const trace = flowsTrace(flows, 2 << 20, 16)
    const fctOfVictim = (p: typeof lossless) => simulate(trace, topo, p, 3).report.flows[7]!.fctPs
    const alone = simulate(flowsTrace([[15, 1]], 2 << 20, 16), topo, lossless, 3).report.flows[0]!.fctPs
    const withPfc = fctOfVictim(lossless)
    const withoutPfc = fctOfVictim(lossy)
    // Without PFC the victim only shares bandwidth: with seed 3 its ECMP uplink also
    // carries incast flows (and their retransmissions), which costs it about a third.
    expect(withoutPfc).toBeLessThan(1.5 * alone)
    // With PFC, pauses from the incast's leaf stop the spine ports and leaf 1 uplinks
    // it shares, so it crawls at the incast's pace. (With seed 4 its hash avoids
    // every paused port and it is not slowed at all: spreading follows the paths.)
    expect(withPfc).toBeGreaterThan(2.5 * withoutPfc)
  })

  it('lossless means lossless for ACKs too, even when a port holds more than its static share', () => {
    // Eight BDPs per flow pile up far more than 1 MiB at the incast's port; PFC
    // admits data by ingress allowance, and ACKs ride their own class.
    const trace = flowsTrace([...Array.from({ length: 7 }, (_, i): [number, number] => [i + 1, 0]), [0, 9]], 2 << 20, 16)
    const { report, fabric } = simulate(trace, topo, profile('roce', { nic: { windowBdp: 8 } }), 1)
    expect(report.summary.drops).toBe(0)
    expect(report.summary.retransmittedPackets).toBe(0)
    expect(report.outcome).toBe('complete')
    expect(fabric.ports.find((p) => p.name === 'leaf0>host0')!.maxQueuedBytes).toBeGreaterThan(topo.portBufferBytes)
  })

  it('an XON of 0 still resumes (when the ingress has drained)', () => {
    const trace = flowsTrace(Array.from({ length: 7 }, (_, i): [number, number] => [i + 1, 0]), 1 << 20, 16)
    const { report } = simulate(trace, topo, profile('roce', { switch: { pfc: { ...pfc, xonBytes: 0 } } }), 1)
    expect(report.outcome).toBe('complete')
    expect(report.summary.pfcPauses).toBeGreaterThan(0)
  })

  it('an undersized headroom shows as drops, not hidden', () => {
    const trace = flowsTrace(
      Array.from({ length: 15 }, (_, i): [number, number] => [i + 1, 0]),
      1 << 20,
      16,
    )
    // 16 KiB where REFERENCE.md's formula asks for about 58 KB at 400G and 500 ns.
    const { report } = simulate(trace, topo, profile('roce', { switch: { pfc: { ...pfc, headroomBytes: 16384 } } }), 1)
    expect(report.derived.pfcHeadroomNeededBytes).toBeGreaterThan(50_000)
    expect(report.summary.pfcPauses).toBeGreaterThan(0)
    expect(report.summary.pfcHeadroomOverflows).toBeGreaterThan(0)
    expect(report.summary.drops).toBe(report.summary.pfcHeadroomOverflows)
    expect(report.outcome).toBe('complete')
  })
})
