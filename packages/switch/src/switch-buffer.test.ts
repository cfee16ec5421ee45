import { PacketKind, PacketPool, Scheduler, serializationPs } from '@aifab/core'
import { EgressPort, Link } from '@aifab/link'
import { describe, expect, it } from 'vitest'
import { SwitchBuffer, type SwitchBufferConfig } from './switch-buffer.ts'

function setup(cfg: Partial<SwitchBufferConfig>) {
  const sched = new Scheduler()
  const pool = new PacketPool()
  // Two egress ports that never send (a PAUSEd-forever sink keeps frames queued).
  const mk = (name: string) => {
    const link = new Link(sched, pool, name, 1_000_000)
    link.next = { receive: (p) => pool.free(p) }
    return new EgressPort(sched, pool, { name, rateBps: 100e9, bufferBytes: 0 }, link)
  }
  const out = [mk('out0'), mk('out1')]
  for (const p of out) p.paused = true
  const upstream = mk('up') // feeds the ingress link below
  const buffer = new SwitchBuffer(
    sched,
    pool,
    { model: 'shared', portBufferBytes: 0, totalBytes: 120_000, alpha: 1, reservePerQueueBytes: 0, pfc: null, ...cfg },
    [upstream.link],
  )
  for (const p of out) p.buffer = buffer
  const send = (port: EgressPort, bytes = 1000) => {
    const id = pool.alloc()
    pool.kind[id] = PacketKind.DATA
    pool.wireBytes[id] = bytes
    pool.ingress[id] = 0
    port.receive(id)
  }
  return { sched, out, upstream, buffer, send }
}

describe('switch buffer', () => {
  it('shared, alpha 1: a lone queue gets half the pool, two queues a third each', () => {
    const a = setup({})
    for (let i = 0; i < 200; i++) a.send(a.out[0]!)
    // The first frame goes into service at once (paused ports still start nothing: all stay queued).
    expect(a.out[0]!.queuedBytes).toBe(60_000)
    const b = setup({})
    for (let i = 0; i < 200; i++) {
      b.send(b.out[0]!)
      b.send(b.out[1]!)
    }
    expect(b.out[0]!.queuedBytes).toBe(40_000)
    expect(b.out[1]!.queuedBytes).toBe(40_000)
    expect(b.buffer.usedBytes).toBe(80_000)
  })

  it('shared with a reserve: each queue always gets its reserve, the rest by dynamic threshold', () => {
    const a = setup({ reservePerQueueBytes: 10_000 })
    a.buffer.reserveFor(2)
    for (let i = 0; i < 200; i++) a.send(a.out[0]!)
    // Shared part 100,000: a lone queue's share s satisfies s <= 100,000 - s, so 50,000, plus its reserve.
    expect(a.out[0]!.queuedBytes).toBe(60_000)
    // The other queue still finds its reserve and half of what the pool has left.
    for (let i = 0; i < 200; i++) a.send(a.out[1]!)
    expect(a.out[1]!.queuedBytes).toBe(10_000 + 25_000)
    expect(a.buffer.sharedUsedBytes).toBe(75_000)
  })

  it('PFC: crossing XOFF sends one PAUSE that stops the upstream port after serialization and delay', () => {
    const { sched, out, upstream, buffer, send } = setup({ model: 'static', portBufferBytes: 1e9, pfc: { xoffBytes: 5000, xonBytes: 2000, headroomBytes: 3000 } })
    for (let i = 0; i < 12; i++) send(out[0]!)
    expect(buffer.pausesSent).toBe(1)
    // Beyond XOFF + headroom (8000 bytes from this ingress), frames are dropped and counted.
    expect(buffer.headroomOverflows).toBe(4)
    expect(buffer.pausesSent).toBe(1)
    expect(out[0]!.drops).toBe(4)
    sched.run()
    expect(upstream.paused).toBe(true)
    expect(upstream.pausesReceived).toBe(1)
    expect(sched.nowPs).toBe(serializationPs(84, 100e9) + 1_000_000)
  })
})
