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

  it('round-robin spray cycles through the ports per destination', () => {
    const { ports, send } = setup('spray', 1, { sprayOrder: 'round-robin' })
    for (let i = 0; i < 7; i++) send(7, 1234)
    const counts = ports.slice(1).map((p) => (p.busy ? 1 : 0) + p.queuedBytes / 1000)
    expect(counts).toEqual([3, 2, 2])
  })

  it('flowlet: a flow keeps its port within the gap and is re-picked after a pause', () => {
    const { sched, sw, ports, send } = setup('flowlet', 1, { flowletGapPs: 1_000_000, flowletPick: 'least-loaded' })
    for (let i = 0; i < 5; i++) send(7, 1234)
    const used = () => ports.slice(1).map((p) => p.txPackets + (p.busy ? 1 : 0) + p.queuedBytes / 1000)
    expect(used().filter((c) => c > 0).length).toBe(1)
    expect(sw.repicks).toBe(1)
    sched.run() // drains; the pause that follows exceeds the gap
    sched.schedule(sched.nowPs + 2_000_000, sched.register({ onEvent: () => send(7, 1234) }), 0, 0)
    sched.run()
    expect(sw.repicks).toBe(2)
  })

  it('sticky adaptive moves a flow only when another port is lighter by more than the threshold', () => {
    const { sw, ports, send } = setup('adaptive', 1, { adaptiveThresholdBytes: 2500 })
    for (let i = 0; i < 3; i++) send(7, 1234)
    // 2000 bytes over the others is within the threshold: all three stay on one port.
    expect(ports.slice(1).map((p) => p.backlogBytes).sort()).toEqual([0, 0, 3000])
    expect(sw.repicks).toBe(1)
    // 3000 over is beyond it: the fourth packet moves the flow.
    send(7, 1234)
    expect(sw.repicks).toBe(2)
    expect(ports.slice(1).map((p) => p.backlogBytes).sort()).toEqual([0, 1000, 3000])
  })

  it('counts the distinct paths a queue pair took, beyond 32 candidates too', () => {
    const sched = new Scheduler()
    const pool = new PacketPool()
    const lb = { mode: 'spray', sprayOrder: 'round-robin', adaptiveThresholdBytes: 0, flowletGapPs: 1, flowletPick: 'hash' } as const
    for (const candidates of [3, 32, 40]) {
      const sw = new Switch({ id: 0, name: 's', lb, hashSeed: 1 }, sched, pool, new Rng(1))
      for (let i = 0; i < candidates; i++) {
        const link = new Link(sched, pool, `l${i}`, 1000)
        link.next = { receive: (p) => pool.free(p) }
        sw.addPort(new EgressPort(sched, pool, { name: `p${i}`, rateBps: 100e9, bufferBytes: 1 << 24 }, link))
      }
      sw.setRoutes([Array.from({ length: candidates }, (_, i) => i)])
      // Queue pair 5 sends one packet per candidate (round-robin: each once), queue pair 200 two packets.
      for (const [qp, packets] of [[5, candidates], [200, 2]] as const) {
        for (let i = 0; i < packets; i++) {
          const id = pool.alloc()
          pool.kind[id] = PacketKind.DATA
          pool.qp[id] = qp
          pool.dst[id] = 0
          pool.wireBytes[id] = 1000
          sw.receive(id)
        }
      }
      expect([sw.paths.count(5), sw.paths.count(200), sw.paths.count(7), sw.paths.count(100_000)]).toEqual([candidates, 2, 0, 0])
    }
  })
})
