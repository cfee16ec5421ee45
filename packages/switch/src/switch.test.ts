import { PacketPool, PacketKind, Rng, Scheduler } from '@aifab/core'
import { EgressPort, Link } from '@aifab/link'
import { describe, expect, it } from 'vitest'
import { Switch } from './switch.ts'
import type { LoadBalancing, LoadBalancingConfig } from './load-balancing.ts'

function setup(mode: LoadBalancing, seed = 1, opts: Partial<LoadBalancingConfig> = {}) {
  const sched = new Scheduler()
  const pool = new PacketPool()
  const lb = { mode, sprayOrder: 'random', adaptiveThresholdBytes: 0, flowletGapPs: 1_000_000, flowletPick: 'hash', ...opts } as const
  const sw = new Switch({ id: 0, name: 's', lb, hashSeed: seed }, sched, pool, new Rng(seed))
  const ports = Array.from({ length: 4 }, (_, i) => {
    const link = new Link(sched, pool, `l${i}`, 1000)
    link.next = { receive: (p) => pool.free(p) }
    return new EgressPort(sched, pool, { name: `p${i}`, rateBps: 100e9, bufferBytes: 1 << 24 }, link)
  })
  ports.forEach((p) => sw.addPort(p))
  sw.setRoutes([[0], [1, 2, 3]]) // host 0 via port 0; host 1 via three equal-cost ports
  const send = (src: number, entropy: number) => {
    const id = pool.alloc()
    pool.kind[id] = PacketKind.DATA
    pool.src[id] = src
    pool.dst[id] = 1
    pool.entropy[id] = entropy
    pool.wireBytes[id] = 1000
    sw.receive(id)
  }
  return { sched, sw, ports, send }
}

describe('switch load balancing', () => {
  it('ecmp keeps every packet of a flow on one port, and spreads flows over ports', () => {
    const { ports, send } = setup('ecmp')
    for (let i = 0; i < 50; i++) send(7, 1234)
    const used = ports.filter((p) => p.txPackets + (p.busy ? 1 : 0) + p.queuedBytes / 1000 > 0)
    expect(used.length).toBe(1)
    const { ports: ports2, send: send2 } = setup('ecmp')
    for (let f = 0; f < 60; f++) send2(f, f * 77)
    const counts = ports2.slice(1).map((p) => (p.busy ? 1 : 0) + p.queuedBytes / 1000)
    expect(counts.every((c) => c > 5)).toBe(true)
  })

  it('spray spreads one flow over all equal-cost ports', () => {
    const { ports, send } = setup('spray')
    for (let i = 0; i < 300; i++) send(7, 1234)
    const counts = ports.slice(1).map((p) => (p.busy ? 1 : 0) + p.queuedBytes / 1000)
    expect(counts.reduce((a, b) => a + b)).toBe(300)
    for (const c of counts) expect(c).toBeGreaterThan(70)
  })

  it('adaptive sends each packet to the least backlogged port', () => {
    const { ports, send } = setup('adaptive')
    for (let i = 0; i < 30; i++) send(7, 1234)
    const counts = ports.slice(1).map((p) => (p.busy ? 1 : 0) + p.queuedBytes / 1000)
    expect(counts).toEqual([10, 10, 10])
  })
})
