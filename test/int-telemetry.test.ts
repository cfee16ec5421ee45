// INT: the records a packet carries to its receiver are exactly the state of
// the egress ports it left, and they make the frame (and its ACK) longer.
import { ACK_WIRE_BYTES, PacketKind, dataWireBytes } from '@aifab/core'
import type { BufferPolicy } from '@aifab/link'
import { buildFabric } from '@aifab/topology'
import { replay } from '@aifab/workload'
import { describe, expect, it } from 'vitest'
import { flowsTrace, leafSpine, profile } from './helpers/scenario.ts'

describe('INT telemetry', () => {
  it('records at the receiver match each egress port at the moment the packet left it', () => {
    const topo = leafSpine({ leaves: 2, spines: 2, hostsPerLeaf: 4 })
    const prof = profile('ai-ethernet', { switch: { int: { bytesPerRecord: 8, maxHops: 5 }, loadBalancing: 'spray' } })
    const fabric = buildFabric(topo, prof, 5)
    const { pool } = fabric
    // What each data packet saw when it left each switch port, logged at dequeue
    // (the buffer's release is called just before the record is stamped).
    const seen = new Map<number, { sw: number; ts: number; tx: number; q: number; rate: number }[]>()
    fabric.switches.forEach((sw, s) => {
      for (const port of sw.ports) {
        const real = port.buffer!
        const spy: BufferPolicy = {
          admit: (p, at) => real.admit(p, at),
          release: (p, at) => {
            real.release(p, at)
            if (pool.kind[p] !== PacketKind.DATA) return
            const log = seen.get(p) ?? []
            log.push({ sw: s, ts: fabric.sched.nowPs, tx: at.txBytes, q: at.queuedBytes, rate: at.cfg.rateBps })
            seen.set(p, log)
          },
        }
        port.buffer = spy
      }
    })
    let checked = 0
    let queuedSeen = 0
    for (const nic of fabric.nics) {
      const link = fabric.links.find((l) => l.next === nic)!
      link.next = {
        receive(p) {
          if (pool.kind[p] === PacketKind.DATA) {
            const log = seen.get(p)!
            seen.delete(p)
            expect(pool.intHops[p]).toBe(log.length)
            log.forEach((e, hop) => {
              const i = p * pool.intMaxHops + hop
              expect(pool.intSwitch[i]).toBe(e.sw)
              expect(pool.intTsPs[i]).toBe(e.ts)
              expect(pool.intTxBytes[i]).toBe(e.tx)
              expect(pool.intQlenBytes[i]).toBe(e.q)
              expect(pool.intRateBps[i]).toBe(e.rate)
              if (e.q > 0) queuedSeen++
            })
            const first = pool.psn[p] === 0
            expect(pool.wireBytes[p]).toBe(dataWireBytes(pool.payloadBytes[p]!, first) + 8 * log.length)
            checked++
          } else {
            // ACKs carry the records of the data packet they were made from.
            expect(pool.wireBytes[p]).toBe(ACK_WIRE_BYTES + 8 * pool.intHops[p]!)
          }
          nic.receive(p)
        },
      }
    }
    // Four hosts of leaf 0 send to one host of leaf 1, and one more flow crosses back.
    const trace = flowsTrace([[0, 4], [1, 4], [2, 4], [3, 4], [5, 1]], 256 * 1024, 8)
    const result = replay(fabric, trace, 'int')
    expect(result.outcome).toBe('complete')
    expect(checked).toBeGreaterThanOrEqual(5 * 64)
    // The incast queued at the last hop: the records saw non-empty queues.
    expect(queuedSeen).toBeGreaterThan(100)
  })
})
