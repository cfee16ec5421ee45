// Trimming: a full queue cuts a packet to its headers instead of dropping it,
// so the receiver learns of the loss within a round trip, not a timeout.
import { describe, expect, it } from 'vitest'
import { flowsTrace, leafSpine, profile, simulate } from './helpers/scenario.ts'

const topo = leafSpine({ leaves: 2, spines: 2, hostsPerLeaf: 8, portBufferBytes: 131072 })
const trace = flowsTrace(
  Array.from({ length: 15 }, (_, i): [number, number] => [i + 1, 0]),
  1 << 20,
  16,
)

describe('packet trimming on a lossy incast', () => {
  const plain = simulate(trace, topo, profile('ai-ethernet', { switch: { ecn: null } }), 2).report
  const trimmed = simulate(trace, topo, profile('ai-ethernet', { switch: { ecn: null, trimming: true } }), 2).report

  it('trims instead of dropping, and recovers by NACKs rather than timeouts', () => {
    expect(plain.summary.drops).toBeGreaterThan(0)
    expect(plain.summary.timeouts).toBeGreaterThan(0)
    expect(trimmed.summary.trims).toBeGreaterThan(0)
    expect(trimmed.summary.drops).toBe(0)
    // Without congestion control the senders resend at once into the same queue, so a
    // PSN can be trimmed again and again; a few still wait out the timeout.
    expect(trimmed.summary.timeouts).toBeLessThan(plain.summary.timeouts)
    // Nearly every resend answers one trimmed packet's NACK.
    expect(trimmed.summary.retransmittedPackets).toBeGreaterThanOrEqual(trimmed.summary.trims)
    expect(trimmed.summary.retransmittedPackets).toBeLessThan(1.02 * trimmed.summary.trims)
    expect(trimmed.conservation.ok).toBe(true)
    expect(trimmed.summary.payloadBytes).toBe(15 << 20)
  })

  it('finishes the incast sooner than waiting for timeouts', () => {
    expect(trimmed.summary.completionTimePs!).toBeLessThan(plain.summary.completionTimePs!)
  })
})
