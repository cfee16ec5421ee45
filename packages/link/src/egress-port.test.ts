import { PacketKind, PacketPool, Rng, Scheduler, serializationPs, type PacketId, type PacketSink } from '@aifab/core'
import { describe, expect, it } from 'vitest'
import { EgressPort } from './egress-port.ts'
import { Link } from './link.ts'
import { LinkStore } from './link-store.ts'
import { RedMarker } from './red-marker.ts'

function setup(bufferBytes: number) {
  const sched = new Scheduler()
  const pool = new PacketPool(8)
  const arrivals: [PacketId, number][] = []
  const sink: PacketSink = { receive: (p) => arrivals.push([p, sched.nowPs]) }
  const link = new Link(sched, pool, 'l', 500_000)
  link.next = sink
  const port = new EgressPort(sched, pool, { name: 'p', rateBps: 400e9, bufferBytes }, link)
  const packet = (bytes: number, kind: number = PacketKind.DATA) => {
    const id = pool.alloc()
    pool.kind[id] = kind
    pool.wireBytes[id] = bytes
    return id
  }
  return { sched, pool, port, link, arrivals, packet }
}

describe('egress port and link', () => {
  it('serializes back to back and delays each packet by the propagation delay', () => {
    const { sched, port, arrivals, packet } = setup(1 << 20)
    const a = packet(4096)
    const b = packet(4096)
    port.receive(a)
    port.receive(b)
    sched.run()
    const ser = serializationPs(4096, 400e9)
    expect(arrivals).toEqual([
      [a, ser + 500_000],
      [b, 2 * ser + 500_000],
    ])
    expect(port.busyPs).toBe(2 * ser)
    expect(port.txBytes).toBe(8192)
  })

  it('keeps at most one arrival event per link however many packets are on the wire', () => {
    const { sched, port, link, packet } = setup(1 << 20)
    for (let i = 0; i < 20; i++) port.receive(packet(100))
    // 20 x 100 B take 40 ns on the wire, far less than the 500 ns delay: all ride at once.
    sched.run(serializationPs(2000, 400e9))
    expect(link.inFlight).toBe(20)
    expect(sched.pending).toBe(1)
  })

  it('drops when the buffer is full (drop-tail), counting bytes', () => {
    const { sched, port, pool, packet, arrivals } = setup(10_000)
    for (let i = 0; i < 5; i++) port.receive(packet(4000))
    // First goes into service at once; the queue then holds two (8000 B); the rest drop.
    expect(port.drops).toBe(2)
    expect(port.dropBytes).toBe(8000)
    sched.run()
    expect(arrivals.length).toBe(3)
    expect(pool.live).toBe(3)
  })

  it('sends control frames before queued data', () => {
    const { sched, port, packet, arrivals } = setup(1 << 20)
    const d1 = packet(4000)
    const d2 = packet(4000)
    const ack = packet(86, PacketKind.ACK)
    port.receive(d1)
    port.receive(d2)
    port.receive(ack)
    sched.run()
    expect(arrivals.map((x) => x[0])).toEqual([d1, ack, d2])
  })

  it('RED marks never below Kmin, always above Kmax, and about Pmax/2 half way', () => {
    const m = new RedMarker({ kminBytes: 1000, kmaxBytes: 3000, pmax: 0.2 }, new Rng(1))
    let marks = 0
    for (let i = 0; i < 20_000; i++) if (m.shouldMark(2000)) marks++
    expect(marks / 20_000).toBeGreaterThan(0.09)
    expect(marks / 20_000).toBeLessThan(0.11)
    for (let i = 0; i < 100; i++) {
      expect(m.shouldMark(1000)).toBe(false)
      expect(m.shouldMark(3001)).toBe(true)
    }
  })

  it('keeps the frames of each link in order while rings sharing one store grow past each other', () => {
    const sched = new Scheduler()
    const pool = new PacketPool(8)
    const store = new LinkStore()
    const seen: string[][] = [[], []]
    const ports = [0, 1].map((k) => {
      const link = new Link(sched, pool, `l${k}`, 2_000_000, 2_000_000, store)
      link.next = { receive: (p) => (seen[k]!.push(`${pool.psn[p]}@${sched.nowPs}`), pool.free(p)) }
      return new EgressPort(sched, pool, { name: `p${k}`, rateBps: 400e9, bufferBytes: 1 << 20 }, link)
    })
    // 40 frames on each wire at once (2 us delay, 2 ns each): both rings grow from 4 to 64 entries, interleaved.
    for (let i = 0; i < 40; i++) {
      for (const [k, port] of ports.entries()) {
        const p = pool.alloc()
        pool.kind[p] = PacketKind.DATA
        pool.wireBytes[p] = 100
        pool.psn[p] = k * 1000 + i
        port.receive(p)
      }
    }
    sched.run()
    const ser = serializationPs(100, 400e9)
    for (const k of [0, 1]) expect(seen[k]).toEqual(Array.from({ length: 40 }, (_, i) => `${k * 1000 + i}@${(i + 1) * ser + 2_000_000}`))
    expect(pool.live).toBe(0)
  })
})
