import { mix32, type PacketId, type PacketPool, type PacketSink, type Rng } from '@aifab/core'
import type { EgressPort } from '@aifab/link'
import type { LoadBalancing } from './load-balancing.ts'

export interface SwitchConfig {
  id: number
  name: string
  loadBalancing: LoadBalancing
  /** Per-switch ECMP hash seed, derived from the run seed. */
  hashSeed: number
}

/**
 * A switch: for each destination host a set of equal-cost egress ports, one of
 * which is chosen per packet (spray, adaptive) or per flow (ecmp). Queueing,
 * ECN marking and drops happen in the egress ports.
 */
export class Switch implements PacketSink {
  readonly ports: EgressPort[] = []
  forwardedPackets = 0
  /** Packets with no route (a wiring bug if ever non-zero). */
  unroutable = 0

  private routeStart = new Int32Array(0)
  private routeCount = new Int32Array(0)
  private routePorts = new Int32Array(0)
  private readonly mode: number

  constructor(
    readonly cfg: SwitchConfig,
    private readonly pool: PacketPool,
    private readonly rng: Rng,
  ) {
    this.mode = cfg.loadBalancing === 'ecmp' ? 0 : cfg.loadBalancing === 'spray' ? 1 : 2
  }

  addPort(port: EgressPort): number {
    this.ports.push(port)
    return this.ports.length - 1
  }

  /** `table[dstHost]` lists the indices (into `ports`) of the equal-cost next hops. */
  setRoutes(table: readonly (readonly number[])[]): void {
    const n = table.length
    this.routeStart = new Int32Array(n)
    this.routeCount = new Int32Array(n)
    let total = 0
    for (const r of table) total += r.length
    this.routePorts = new Int32Array(total)
    let k = 0
    for (let h = 0; h < n; h++) {
      this.routeStart[h] = k
      this.routeCount[h] = table[h]!.length
      for (const p of table[h]!) this.routePorts[k++] = p
    }
  }

  /** Equal-cost egress ports toward `dstHost` (for reports and tests). */
  candidates(dstHost: number): number[] {
    const s = this.routeStart[dstHost]!
    return Array.from(this.routePorts.subarray(s, s + this.routeCount[dstHost]!))
  }

  receive(pkt: PacketId): void {
    const pool = this.pool
    const dst = pool.dst[pkt]!
    const n = dst < this.routeCount.length ? this.routeCount[dst]! : 0
    if (n === 0) {
      this.unroutable++
      pool.free(pkt)
      return
    }
    const start = this.routeStart[dst]!
    let choice = 0
    if (n > 1) {
      if (this.mode === 0) {
        let h = mix32(this.cfg.hashSeed ^ pool.src[pkt]!)
        h = mix32(h ^ dst)
        h = mix32(h ^ pool.entropy[pkt]!)
        choice = h % n
      } else if (this.mode === 1) {
        choice = this.rng.nextInt(n)
      } else {
        choice = this.leastLoaded(start, n)
      }
    }
    this.forwardedPackets++
    this.ports[this.routePorts[start + choice]!]!.receive(pkt)
  }

  /** Index (0..n-1) of the candidate with the smallest backlog; ties broken uniformly at random. */
  private leastLoaded(start: number, n: number): number {
    let best = -1
    let bestBytes = Infinity
    let ties = 0
    for (let i = 0; i < n; i++) {
      const b = this.ports[this.routePorts[start + i]!]!.backlogBytes
      if (b < bestBytes) {
        bestBytes = b
        best = i
        ties = 1
      } else if (b === bestBytes) {
        // Reservoir sampling over the tied candidates: each wins with probability 1/ties.
        ties++
        if (this.rng.nextInt(ties) === 0) best = i
      }
    }
    return best
  }
}
