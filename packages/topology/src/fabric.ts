import { PacketPool, RngFactory, Scheduler, dataWireBytes, serializationPs } from '@aifab/core'
import { LinkStore, PortStore, type EgressPort, type Link } from '@aifab/link'
import { CcError, FixedWindow, QueuePair, type CcContext, type CcDefinition, type Nic } from '@aifab/nic'
import type { Switch, SwitchBuffer } from '@aifab/switch'
import type { FabricProfile } from './fabric-profile.ts'
import { nicLineRateBps, type TopologyConfig } from './topology-config.ts'
import { oneWayPs } from './fabric-timing.ts'
import type { FaultInjector } from './fault-injector.ts'

/** Where a port sits, for per-tier reports (a fat tree's edge switches count as leaves). */
export const PORT_TIERS = ['host-up', 'leaf-up', 'agg-up', 'core-down', 'spine-down', 'agg-down', 'leaf-down', 'nvlink-up', 'nvlink-down'] as const
export type PortTier = (typeof PORT_TIERS)[number]

/** One hop of a path, for latency models. */
export interface PathHop {
  rateBps: number
  /** Propagation plus the fixed latency of the device the hop enters. */
  delayPs: number
  /** The device the hop enters forwards after the headers, not the whole frame. */
  cutThrough: boolean
}

/** Totals over the whole fabric, for reports and the conservation check. */
export interface FabricCounters {
  /** Frames (data and control) NICs handed to the network: sent, or held by their host port. */
  framesInjected: number
  /** Frames that reached a NIC. */
  framesReceived: number
  /** Frames dropped by switch queues (drop-tail). */
  drops: number
  /** Data packets cut to their headers instead of dropped, and trimmed headers that reached a NIC. */
  trims: number
  trimmedReceived: number
  unroutable: number
  /** Frames lost on links: random loss, or on the wire when a link failed. */
  lostOnLinks: number
  dataPacketsSent: number
  retransmittedPackets: number
  acksSent: number
  naksSent: number
  /** DCQCN congestion notifications sent by receivers. */
  cnpsSent: number
  timeouts: number
  failedQueuePairs: number
  rxDiscards: number
  rxDuplicates: number
  ecnMarks: number
  pfcPausesSent: number
  pfcResumesSent: number
  /** Data frames refused because an ingress overflowed XOFF + PFC headroom (dropped, or trimmed). */
  pfcHeadroomOverflows: number
  pfcHeadroomOverflowBytes: number
  /** Frames refused because a switch's whole buffer was full. */
  bufferFullRefusals: number
  /** Sum over ports of the time their data class was paused. */
  pfcPausedPs: number
  /** Bytes the switch buffers account as held, and bytes actually queued at switch ports (equal unless accounting leaks). */
  switchBufferedBytes: number
  switchQueuedBytes: number
  reorderWindowPeak: number
  /** Frames crossing one link, summed over links: one packet-hop each. */
  packetHops: number
  /** Frames still held by a port (queued or being serialized), or on a wire. */
  framesQueued: number
  framesOnWire: number
  packetsLive: number
}

/**
 * A wired fabric, ready to run: the scheduler, the packet pool, NICs, switches,
 * ports and links, and the table of queue pairs the workload opens.
 */
export class Fabric {
  readonly sched = new Scheduler()
  readonly pool = new PacketPool(4096)
  /** Every port's per-hop numbers and queue-depth histogram, together. */
  readonly portStore = new PortStore()
  /** Every link's ring of frames on the wire, together. */
  readonly linkStore = new LinkStore()
  /** Switches' route-group arrays by contents, so equal ones are shared. */
  readonly routeTables = new Map<string, Uint8Array | Uint16Array>()
  readonly rng: RngFactory
  readonly nics: Nic[] = []
  readonly switches: Switch[] = []
  /** One per switch, in the same order. */
  readonly buffers: SwitchBuffer[] = []
  readonly ports: EgressPort[] = []
  readonly portTiers: PortTier[] = []
  readonly links: Link[] = []
  readonly qps: QueuePair[] = []
  /** Round-trip time of an MTU packet and its ACK over the longest path, with empty queues. */
  baseRttPs = 0
  /** Fixed window per queue pair, payload bytes. */
  windowBytes = 0
  pfcHeadroomNeededBytes = 0

  private readonly qpByKey = new Map<string, QueuePair>()
  /** Both directions' egress ports of each cable, by canonical name (`leaf0-spine3`). */
  readonly cables = new Map<string, EgressPort[]>()
  /** Recomputes every switch's routes without the given cables (set by the builder). */
  reroute: (downCables: ReadonlySet<string>) => void = () => {}
  faultInjector: FaultInjector | null = null
  /** The links a packet from `src` to `dst` crosses, set by the builder. */
  pathOf: (src: number, dst: number) => PathHop[] = () => []
  /** The NIC lane a queue pair uses (see NicLane), set by builders whose NICs have several. */
  laneOf: (src: number, dst: number, channel: number) => number = () => 0
  /** Line rate, initial window and base RTT of a lane's queue pairs where they differ from the network's (an NVLink lane). */
  readonly laneLineRateBps: number[] = []
  readonly laneWindowBytes: number[] = []
  readonly laneBaseRttPs: number[] = []
  /** True when messages from `src` to `dst` are not simulated (intra-server without NVLink): they complete at once. */
  skips: (src: number, dst: number) => boolean = () => false

  constructor(
    readonly topology: TopologyConfig,
    readonly profile: FabricProfile,
    readonly seed: number,
    /** The congestion controller every queue pair gets, and its resolved parameters. */
    readonly cc: CcDefinition,
    readonly ccParams: Readonly<Record<string, number>>,
  ) {
    this.rng = new RngFactory(seed)
  }

  get hosts(): number {
    return this.nics.length
  }

  get lineRateBps(): number {
    return nicLineRateBps(this.topology)
  }

  get mtuBytes(): number {
    return this.topology.mtuBytes
  }

  /** The rate a queue pair from `src` to `dst` may send at: its lane's (one plane, NVLink), else all the NIC's ports (every plane-pinned lane has the same rate, so any channel of a pair gives its rate). */
  lineRateOf(src: number, dst: number, channel: number): number {
    return this.laneLineRateBps[this.laneOf(src, dst, channel)] ?? this.lineRateBps
  }

  /** The queue pair for (src, dst, channel), opened on first use with its own entropy. */
  openQp(src: number, dst: number, channel: number): QueuePair {
    const key = `${src}/${dst}/${channel}`
    let qp = this.qpByKey.get(key)
    if (qp === undefined) {
      const entropy = this.rng.derive(`qp/${key}`) | 0
      const lane = this.laneOf(src, dst, channel)
      const lineRateBps = this.lineRateOf(src, dst, channel)
      const windowBytes = this.laneWindowBytes[lane] ?? this.windowBytes
      const q = new QueuePair(this.qps.length, src, dst, channel, entropy, new FixedWindow(windowBytes, lineRateBps, this.cc.name), this.profile.nic.reorderWindowPackets)
      q.lane = lane
      q.lineRateBps = lineRateBps
      this.qps.push(q)
      this.qpByKey.set(key, q)
      const nic = this.nics[src]!
      const ctx: CcContext = {
        lineRateBps,
        baseRttPs: this.laneBaseRttPs[lane] ?? this.baseRttPs,
        mtuBytes: this.mtuBytes,
        initialWindowBytes: windowBytes,
        hops: this.pathOf(src, dst).length - 1,
        rng: this.rng.stream(`cc/${key}`),
        nowPs: () => this.sched.nowPs,
        setTimer: (delayPs, tag) => nic.armCcTimer(q, delayPs, tag),
      }
      try {
        q.cc = this.cc.create({ ...this.ccParams }, ctx)
      } catch (e) {
        if (e instanceof CcError) throw e
        throw new CcError(this.cc.name, q.id, 'create', `threw ${e instanceof Error ? e.message : String(e)}`)
      }
      const cc = q.cc
      if (typeof cc !== 'object' || cc === null || typeof cc.onAck !== 'function') {
        throw new CcError(this.cc.name, q.id, 'create', 'expected an object with an onAck method')
      }
      if (!(cc.rateBps > 0 && cc.rateBps < Infinity) || !(cc.windowBytes > 0)) {
        throw new CcError(this.cc.name, q.id, 'create', `set rate ${cc.rateBps} b/s and window ${cc.windowBytes} bytes; expected a positive finite rate and a positive window`)
      }
      qp = q
    }
    return qp
  }

  /**
   * The alpha of the alpha-beta cost model for a message from `src` to `dst`:
   * the one-way latency of an MTU packet less its first serialization (which
   * S/B already counts): delays of links and devices, and store-and-forward
   * (or cut-through) at every later hop.
   */
  alphaPs(src: number, dst: number): number {
    const frame = dataWireBytes(this.mtuBytes, false)
    const path = this.pathOf(src, dst)
    return oneWayPs(path, frame) - serializationPs(frame, path[0]!.rateBps)
  }

  /**
   * A message of `bytes` alone on the idle fabric, from posting to its last
   * byte placed: all its wire bytes through the first hop at the queue pair's
   * rate, then its last packet (RETH included if it is also the first) through
   * the rest of the path.
   */
  idealFctPs(src: number, dst: number, bytes: number): number {
    const mtu = this.mtuBytes
    const packets = Math.max(1, Math.ceil(bytes / mtu))
    const wire = bytes + dataWireBytes(0, true) + (packets - 1) * dataWireBytes(0, false)
    const last = dataWireBytes(bytes - (packets - 1) * mtu, packets === 1)
    const path = this.pathOf(src, dst)
    return Math.round((wire * 8e12) / this.lineRateOf(src, dst, 0) + oneWayPs(path, last) - serializationPs(last, path[0]!.rateBps))
  }

  counters(): FabricCounters {
    const c: FabricCounters = {
      framesInjected: 0,
      framesReceived: 0,
      drops: 0,
      trims: 0,
      trimmedReceived: 0,
      unroutable: 0,
      lostOnLinks: 0,
      dataPacketsSent: 0,
      retransmittedPackets: 0,
      acksSent: 0,
      naksSent: 0,
      cnpsSent: 0,
      timeouts: 0,
      failedQueuePairs: 0,
      rxDiscards: 0,
      rxDuplicates: 0,
      ecnMarks: 0,
      pfcPausesSent: 0,
      pfcResumesSent: 0,
      pfcHeadroomOverflows: 0,
      bufferFullRefusals: 0,
      pfcHeadroomOverflowBytes: 0,
      pfcPausedPs: 0,
      switchBufferedBytes: 0,
      switchQueuedBytes: 0,
      reorderWindowPeak: 0,
      packetHops: 0,
      framesQueued: 0,
      framesOnWire: 0,
      packetsLive: this.pool.live,
    }
    for (const n of this.nics) {
      // Handed to the host port: sent, still held, or dropped there when the host's cable failed.
      for (const p of n.ports) c.framesInjected += p.txPackets + p.heldPackets + p.drops
      c.framesReceived += n.framesReceived
      c.dataPacketsSent += n.dataPacketsSent
      c.retransmittedPackets += n.retransmittedPackets
      c.acksSent += n.acksSent
      c.naksSent += n.naksSent
      c.cnpsSent += n.cnpsSent
      c.timeouts += n.timeouts
      c.failedQueuePairs += n.failedQueuePairs
      c.rxDiscards += n.rxDiscards
      c.rxDuplicates += n.rxDuplicates
      c.trimmedReceived += n.trimmedReceived
      if (n.reorderWindowPeak > c.reorderWindowPeak) c.reorderWindowPeak = n.reorderWindowPeak
    }
    const now = this.sched.nowPs
    for (const p of this.ports) {
      c.drops += p.drops
      c.trims += p.trims
      c.ecnMarks += p.ecnMarks
      c.framesQueued += p.heldPackets
      c.pfcPausedPs += p.pausedPsAt(now)
      if (p.buffer !== null) c.switchQueuedBytes += p.queuedBytes
    }
    for (const b of this.buffers) {
      c.pfcPausesSent += b.pausesSent
      c.pfcResumesSent += b.resumesSent
      c.pfcHeadroomOverflows += b.headroomOverflows
      c.bufferFullRefusals += b.bufferFullRefusals
      c.pfcHeadroomOverflowBytes += b.headroomOverflowBytes
      c.switchBufferedBytes += b.usedBytes
    }
    for (const s of this.switches) c.unroutable += s.unroutable
    for (const l of this.links) {
      c.packetHops += l.packetsCarried
      c.lostOnLinks += l.lost
      c.framesOnWire += l.inFlight
    }
    return c
  }
}
