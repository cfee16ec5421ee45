import { PacketKind, PacketPool, Scheduler, serializationPs, dataWireBytes, type PacketId, type PacketSink } from '@aifab/core'
import { EgressPort, Link } from '@aifab/link'
import { describe, expect, it } from 'vitest'
import { FixedWindow } from './cc/none.ts'
import { Nic } from './nic.ts'
import type { NicConfig, ReliabilityMode } from './nic-config.ts'
import { QueuePair } from './queue-pair.ts'

const MTU = 1000
const RATE = 100e9
const DELAY_PS = 1_000_000

/**
 * Two NICs back to back. Data from A to B passes a meddler that can drop a
 * PSN's first transmission, or hold a PSN back until `holdFor` more data packets
 * have passed (reordering).
 */
function pair(mode: ReliabilityMode, opts: { drop?: number[]; dropAll?: boolean; hold?: { psn: number; holdFor: number }; cfg?: Partial<NicConfig> } = {}) {
  const sched = new Scheduler()
  const pool = new PacketPool()
  const cfg: NicConfig = {
    mode,
    mtuBytes: MTU,
    lineRateBps: RATE,
    windowBytes: 64 * MTU,
    ackEveryPackets: 1,
    rtoPs: 50_000_000,
    retryLimit: 7,
    intBytesPerRecord: 0,
    cnpIntervalPs: 0,
    entropyPolicy: 'fixed',
    entropyValues: 16,
    nakIntervalPs: 1_000_000_000,
    reorderWindowPackets: 64,
    reorderNackThresholdPackets: 8,
    ccName: 'none',
    ...opts.cfg,
  }
  const qps: QueuePair[] = []
  const a = new Nic(0, sched, pool, cfg, qps)
  const b = new Nic(1, sched, pool, cfg, qps)
  const toDrop = new Set(opts.drop ?? [])
  let held: PacketId = -1
  let passedSinceHold = 0
  const meddler: PacketSink = {
    receive(p) {
      if (pool.kind[p] === PacketKind.DATA) {
        const psn = pool.psn[p]!
        if (opts.dropAll || toDrop.delete(psn)) return pool.free(p)
        if (opts.hold && psn === opts.hold.psn && held === -1 && passedSinceHold === 0) {
          held = p
          return
        }
        b.receive(p)
        if (held !== -1 && ++passedSinceHold === opts.hold!.holdFor) {
          const h = held
          held = -1
          b.receive(h)
        }
        return
      }
      b.receive(p)
    },
  }
  const wire = (from: Nic, to: PacketSink, name: string) => {
    const link = new Link(sched, pool, name, DELAY_PS)
    link.next = to
    from.addPort(new EgressPort(sched, pool, { name, rateBps: RATE, bufferBytes: 1 << 30 }, link))
  }
  wire(a, meddler, 'a>b')
  wire(b, a, 'b>a')
  const qp = new QueuePair(0, 0, 1, 0, 99, new FixedWindow(cfg.windowBytes, RATE), cfg.reorderWindowPackets)
  qps.push(qp)
  const done: [number, number][] = []
  b.listener = { messageDelivered: (op) => done.push([op, sched.nowPs]) }
  return { sched, pool, a, b, qp, done }
}

describe('nic', () => {
  it('delivers a message at line rate: last byte after P serializations plus the delay', () => {
    const { sched, a, qp, done, pool } = pair('go-back-n')
    a.post(qp, 7, 100 * MTU)
    sched.run()
    const expected = serializationPs(dataWireBytes(MTU, true), RATE) + 99 * serializationPs(dataWireBytes(MTU, false), RATE) + DELAY_PS
    expect(done).toEqual([[7, expected]])
    expect(a.retransmittedPackets).toBe(0)
    expect(pool.live).toBe(0)
  })

  it('go-back-n: a lost packet makes the receiver discard what follows, NAK once, and the sender resend from the gap', () => {
    const { sched, a, b, qp, done, pool } = pair('go-back-n', { drop: [10] })
    a.post(qp, 1, 100 * MTU)
    sched.run()
    expect(done.length).toBe(1)
    expect(b.naksSent).toBe(1)
    expect(b.rxDiscards).toBeGreaterThan(0)
    // Everything from PSN 10 to what was in flight when the NAK arrived is sent again.
    expect(a.retransmittedPackets).toBe(b.rxDiscards + 1)
    expect(pool.live).toBe(0)
  })

  it('go-back-n: reordering looks exactly like loss', () => {
    const { sched, a, b, qp, done } = pair('go-back-n', { hold: { psn: 5, holdFor: 1 } })
    a.post(qp, 1, 50 * MTU)
    sched.run()
    expect(done.length).toBe(1)
    // PSN 6 arrives first: NAK(5). Late PSN 5 is then accepted, but 6 was thrown
    // away, so PSN 7 opens a new gap: NAK(6). Two NAKs for one swap.
    expect(b.naksSent).toBe(2)
    expect(a.retransmittedPackets).toBeGreaterThan(0)
  })

  it('reorder: accepts out-of-order packets without retransmitting, and reports the window peak', () => {
    const { sched, a, b, qp, done } = pair('reorder', { hold: { psn: 5, holdFor: 3 } })
    a.post(qp, 1, 50 * MTU)
    sched.run()
    expect(done.length).toBe(1)
    expect(a.retransmittedPackets).toBe(0)
    expect(b.naksSent).toBe(0)
    expect(b.reorderWindowPeak).toBe(3)
  })

  it('reorder: a lost packet is NACKed once overtaken by the threshold and only it is resent', () => {
    const { sched, a, b, qp, done, pool } = pair('reorder', { drop: [10] })
    a.post(qp, 1, 100 * MTU)
    sched.run()
    expect(done.length).toBe(1)
    expect(b.naksSent).toBe(1)
    expect(a.retransmittedPackets).toBe(1)
    expect(pool.live).toBe(0)
  })

  it('recovers a lost last packet by the retransmission timeout', () => {
    for (const mode of ['go-back-n', 'reorder'] as const) {
      const { sched, a, qp, done } = pair(mode, { drop: [19] })
      a.post(qp, 1, 20 * MTU)
      sched.run()
      expect(done.length).toBe(1)
      expect(a.timeouts).toBe(1)
      expect(a.retransmittedPackets).toBe(1)
      // Completion waits for the timeout: at least the RTO after the last packet left.
      expect(done[0]![1]).toBeGreaterThan(50_000_000)
    }
  })

  it('reorder: the sender never runs past the receiver\'s tracking window', () => {
    // PSN 0 is held back until 20 later packets pass, but the window lets only 7 more go:
    // the sender waits (and its timeout resends PSN 0) rather than overrunning the receiver.
    const { sched, a, b, qp, done } = pair('reorder', { hold: { psn: 0, holdFor: 20 }, cfg: { reorderWindowPackets: 8, reorderNackThresholdPackets: 100 } })
    a.post(qp, 1, 40 * MTU)
    sched.run()
    expect(done.length).toBe(1)
    expect(b.rxDiscards).toBe(0)
    expect(b.reorderWindowPeak).toBe(7)
    expect(a.timeouts).toBe(1)
  })

  it('gives a queue pair up after retryLimit timeouts in a row, so a dead path ends the run', () => {
    for (const mode of ['go-back-n', 'reorder'] as const) {
      const { sched, a, qp, done, pool } = pair(mode, { dropAll: true })
      a.post(qp, 1, 10 * MTU)
      expect(sched.run()).toBe('idle')
      expect(done).toEqual([])
      expect(a.timeouts).toBe(8)
      expect(a.failedQueuePairs).toBe(1)
      expect(qp.failed).toBe(true)
      expect(pool.live).toBe(0)
    }
  })

  it('selective: a lost packet is resent on the SACKs above it, with no NAK and nothing else resent', () => {
    const { sched, a, b, qp, done, pool } = pair('selective', { drop: [10, 30] })
    a.post(qp, 1, 100 * MTU)
    sched.run()
    expect(done.length).toBe(1)
    expect(b.naksSent).toBe(0)
    expect(a.retransmittedPackets).toBe(2)
    expect(a.timeouts).toBe(0)
    expect(pool.live).toBe(0)
  })

  it('selective: reordering alone resends nothing', () => {
    const { sched, a, qp, done } = pair('selective', { hold: { psn: 5, holdFor: 3 } })
    a.post(qp, 1, 50 * MTU)
    sched.run()
    expect(done.length).toBe(1)
    expect(a.retransmittedPackets).toBe(0)
  })

  it('completes messages on one queue pair in order, each once', () => {
    const { sched, a, qp, done } = pair('reorder', { drop: [3, 12] })
    a.post(qp, 1, 5 * MTU)
    a.post(qp, 2, 10 * MTU + 1)
    a.post(qp, 3, 1)
    sched.run()
    expect(done.map((d) => d[0])).toEqual([1, 2, 3])
  })
})
