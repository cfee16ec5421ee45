import { ecmpHash, mix32, PacketKind, type PacketId, type PacketPool, type PacketSink, type Rng, type Scheduler } from '@aifab/core'
import type { EgressPort } from '@aifab/link'
import type { LoadBalancingConfig } from './load-balancing.ts'
import { PathSetTable } from './path-set-table.ts'

export interface SwitchConfig {
  id: number
  name: string
  lb: LoadBalancingConfig
  /** Per-switch ECMP hash seed, derived from the run seed. */
  hashSeed: number
}

/**
 * Flow state for sticky modes (adaptive with a threshold, flowlet) lives in a
 * fixed-size table indexed by the flow hash, as in hardware: bounded memory,
 * and flows that collide in the table share an entry.
 */
const FLOW_TABLE_SIZE = 4096
const MODE_ECMP = 0
const MODE_SPRAY = 1
const MODE_ADAPTIVE = 2
const MODE_FLOWLET = 3

/**
 * A switch: for each destination host a set of equal-cost egress ports, one of
 * which is chosen per packet or per flow (see LoadBalancingConfig). Queueing,
 * ECN marking, drops and PFC happen in the egress ports and the switch buffer.
 */
export class Switch implements PacketSink {
  readonly ports: EgressPort[] = []
  forwardedPackets = 0
  /** Packets with no route (a wiring bug if ever non-zero). */
  unroutable = 0
  /** Flowlets started (flowlet mode) or flow moves (sticky adaptive). */
  repicks = 0

  /**
   * Routes as groups: destinations with the same equal-cost ports share one
   * list (in a fat tree, every host outside an edge switch's own is one "up"
   * group). Per destination a group number; per group its start and length in
   * routePorts. Group numbers take a byte where they can, and switches whose
   * numbering is the same (a fat tree's cores; the aggregation switches of a
   * pod) share one array: a k=32 tree's tables take 4 MB instead of 670 MB,
   * a k=16 tree's 0.2 MB instead of 14, which keeps them in cache.
   */
  private routeGroup: Uint8Array | Uint16Array = new Uint8Array(0)
  private groupSpan = new Int32Array(0)
  private routePorts = new Int32Array(0)
  /** routePorts as the ports themselves: a hop reads one array, not an index and then the port list. */
  private routeTo: EgressPort[] = []
  private readonly mode: number
  private readonly roundRobin: boolean
  private rrNext = new Int32Array(0)
  private flowChoice: Int32Array | null = null
  private flowLastPs: Float64Array | null = null
  private flowSeq: Int32Array | null = null
  /** Per queue pair, the candidate indices its data packets took here (what `paths` in the report counts). */
  readonly paths = new PathSetTable()

  constructor(
    readonly cfg: SwitchConfig,
    private readonly sched: Scheduler,
    private readonly pool: PacketPool,
    private readonly rng: Rng,
    /** Route-group arrays already built in this fabric, by contents: switches with the same one share it. */
    private readonly routeTables = new Map<string, Uint8Array | Uint16Array>(),
  ) {
    const m = cfg.lb.mode
    this.mode = m === 'ecmp' ? MODE_ECMP : m === 'spray' ? MODE_SPRAY : m === 'adaptive' ? MODE_ADAPTIVE : MODE_FLOWLET
    this.roundRobin = cfg.lb.sprayOrder === 'round-robin'
    if (this.mode === MODE_FLOWLET || (this.mode === MODE_ADAPTIVE && cfg.lb.adaptiveThresholdBytes > 0)) {
      this.flowChoice = new Int32Array(FLOW_TABLE_SIZE).fill(-1)
      this.flowLastPs = new Float64Array(FLOW_TABLE_SIZE)
      this.flowSeq = new Int32Array(FLOW_TABLE_SIZE)
    }
  }

  addPort(port: EgressPort): number {
    this.ports.push(port)
    return this.ports.length - 1
  }

  /** `table[dstHost]` lists the indices (into `ports`) of the equal-cost next hops. */
  setRoutes(table: readonly (readonly number[])[]): void {
    const n = table.length
    const groupOf = new Map<string, number>()
    // Builders hand the same array to many destinations: look it up by identity before by contents.
    const groupOfList = new Map<readonly number[], number>()
    const lists: (readonly number[])[] = []
    const groups = new Uint16Array(n)
    for (let h = 0; h < n; h++) {
      const list = table[h]!
      let g = groupOfList.get(list)
      if (g === undefined) {
        const key = list.join(',')
        g = groupOf.get(key)
        if (g === undefined) {
          g = lists.length
          // A switch has a handful of distinct lists (one per port set); 65536 would be a builder's bug.
          if (g > 0xffff) throw new Error(`${this.cfg.name}: more than 65536 distinct route lists`)
          groupOf.set(key, g)
          lists.push(list)
        }
        groupOfList.set(list, g)
      }
      groups[h] = g
    }
    const key = groups.join(',')
    let shared = this.routeTables.get(key)
    if (shared === undefined) {
      shared = lists.length <= 256 ? Uint8Array.from(groups) : groups
      this.routeTables.set(key, shared)
    }
    this.routeGroup = shared
    this.groupSpan = new Int32Array(2 * lists.length)
    this.routePorts = new Int32Array(lists.reduce((t, l) => t + l.length, 0))
    let k = 0
    lists.forEach((l, g) => {
      this.groupSpan[2 * g] = k
      this.groupSpan[2 * g + 1] = l.length
      for (const p of l) this.routePorts[k++] = p
    })
    this.routeTo = Array.from(this.routePorts, (p) => this.ports[p]!)
    this.rrNext = new Int32Array(this.roundRobin ? n : 0)
  }

  /** Equal-cost egress ports toward `dstHost` (for reports and tests). */
  candidates(dstHost: number): number[] {
    const g = this.routeGroup[dstHost]!
    const s = this.groupSpan[2 * g]!
    return Array.from(this.routePorts.subarray(s, s + this.groupSpan[2 * g + 1]!))
  }

  receive(pkt: PacketId): void {
    const pool = this.pool
    const dst = pool.dst[pkt]!
    const g = dst < this.routeGroup.length ? this.routeGroup[dst]! : 0
    const n = dst < this.routeGroup.length ? this.groupSpan[2 * g + 1]! : 0
    if (n === 0) {
      this.unroutable++
      pool.free(pkt)
      return
    }
    const start = this.groupSpan[2 * g]!
    let choice = 0
    if (n > 1) {
      choice = this.choose(pkt, dst, start, n)
      if (pool.kind[pkt] === PacketKind.DATA) this.paths.add(pool.qp[pkt]!, choice)
    }
    this.forwardedPackets++
    this.routeTo[start + choice]!.receive(pkt)
  }

  private choose(pkt: PacketId, dst: number, start: number, n: number): number {
    const pool = this.pool
    const mode = this.mode
    if (mode === MODE_SPRAY) {
      if (!this.roundRobin) return this.rng.nextInt(n)
      const c = this.rrNext[dst]!
      this.rrNext[dst] = c + 1 === n ? 0 : c + 1
      return c
    }
    const h = ecmpHash(this.cfg.hashSeed, pool.src[pkt]!, dst, pool.entropy[pkt]!)
    if (mode === MODE_ECMP) return h % n
    const table = this.flowChoice
    if (table === null) return this.leastLoaded(start, n)
    const slot = h & (FLOW_TABLE_SIZE - 1)
    const now = this.sched.nowPs
    const current = table[slot]!
    if (mode === MODE_FLOWLET) {
      const fresh = current < 0 || current >= n || now - this.flowLastPs![slot]! > this.cfg.lb.flowletGapPs
      this.flowLastPs![slot] = now
      if (!fresh) return current
      this.repicks++
      const seq = ++this.flowSeq![slot]!
      const pick = this.cfg.lb.flowletPick === 'hash' ? mix32(h ^ seq) % n : this.leastLoaded(start, n)
      table[slot] = pick
      return pick
    }
    // Sticky adaptive: move only when another port is lighter by more than the threshold.
    const best = this.leastLoaded(start, n)
    if (current >= 0 && current < n) {
      const cur = this.routeTo[start + current]!.backlogBytes
      const min = this.routeTo[start + best]!.backlogBytes
      if (cur - min <= this.cfg.lb.adaptiveThresholdBytes) return current
    }
    if (current !== best) this.repicks++
    table[slot] = best
    return best
  }

  /** Index (0..n-1) of the candidate with the smallest backlog; ties broken uniformly at random. */
  private leastLoaded(start: number, n: number): number {
    let best = -1
    let bestBytes = Infinity
    let ties = 0
    for (let i = 0; i < n; i++) {
      const b = this.routeTo[start + i]!.backlogBytes
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
