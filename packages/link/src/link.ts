import {
  CUT_THROUGH_HEADER_BYTES,
  serializationPs,
  type EventTarget,
  type PacketId,
  type PacketPool,
  type PacketSink,
  type Rng,
  type Scheduler,
} from '@aifab/core'
import type { EgressPort } from './egress-port.ts'
import { FIRST_RING_CAPACITY, LinkStore } from './link-store.ts'

const ARRIVE = 0

/**
 * The propagation pipe of a link, including the fixed latency of the device it
 * leads into (a switch's forwarding pipeline, a NIC's processing). A link is a FIFO with a constant delay, so
 * packets leave in the order they entered: they wait in a ring buffer and only
 * the head's arrival is scheduled. The heap holds one event per busy link, not
 * one per packet in flight.
 */
export class Link implements EventTarget {
  // Fields in the order a hop reads them: V8 lays an object out in that order (see EgressPort).
  /** Bumped when the link fails: arrival events scheduled before are stale. */
  private epoch = 0
  /** The ring of frames on the wire: (arrival time, packet) pairs at store.f64[ringBase + 2 * slot]. */
  private readonly store: LinkStore
  private ringBase: number
  private ringMask = FIRST_RING_CAPACITY - 1
  private head = 0
  private count = 0
  private readonly sched: Scheduler
  private readonly targetId: number
  private readonly pool: PacketPool
  /** This link's index among the ingress links of the switch it leads to; stamped on every packet it delivers. */
  ingressIndex = 0
  next: PacketSink | null = null
  /** Frames that entered this link (data and control): one packet-hop each. */
  packetsCarried = 0
  /** A failed link loses whatever is put on it. */
  down = false
  /** Probability that a frame is lost on the wire; drawn from `lossRng`. */
  lossRate = 0
  /** Propagation plus the latency of the device the link leads into. */
  readonly delayPs: number
  /**
   * The device at the far end forwards a frame once its headers are in (cut
   * through) rather than after its last bit: the frame is handed over the
   * serialization time of everything after the headers earlier.
   */
  cutThrough = false
  /** The egress port that feeds this link (set by the port): where a PAUSE for this link's traffic goes. */
  from: EgressPort | null = null
  /** Frames lost on this link: random loss, or on the wire when it failed. */
  lost = 0
  lossRng: Rng | null = null
  /** Told of every frame this link loses (fault accounting): `failed` when the link was down, else random loss. */
  onLoss: ((pkt: PacketId, failed: boolean) => void) | null = null
  /** Propagation alone (what a PFC frame going the other way takes). */
  readonly propagationPs: number

  constructor(
    sched: Scheduler,
    pool: PacketPool,
    readonly name: string,
    /** Propagation plus the latency of the device the link leads into. */
    delayPs: number,
    /** Propagation alone; defaults to delayPs. */
    propagationPs = delayPs,
    /** Where the ring lives: one store per fabric keeps every link's together. */
    store = new LinkStore(),
  ) {
    this.sched = sched
    this.pool = pool
    this.delayPs = delayPs
    this.propagationPs = propagationPs
    this.store = store
    this.ringBase = store.allocRing()
    this.targetId = sched.register(this)
  }

  /** Frames on the wire right now. */
  get inFlight(): number {
    return this.count
  }

  /** Called by the egress port when the last bit of `pkt` has been serialized. */
  accept(pkt: PacketId, wireBytes: number): void {
    this.packetsCarried++
    if (this.down || (this.lossRate > 0 && this.lossRng!.nextFloat() < this.lossRate)) {
      this.lost++
      this.onLoss?.(pkt, this.down)
      this.pool.free(pkt)
      return
    }
    if (this.count > this.ringMask) this.grow()
    let at = this.sched.nowPs + this.delayPs
    if (this.cutThrough && wireBytes > CUT_THROUGH_HEADER_BYTES) at -= serializationPs(wireBytes - CUT_THROUGH_HEADER_BYTES, this.from!.txRateBps)
    const i = this.ringBase + 2 * ((this.head + this.count) & this.ringMask)
    const f = this.store.f64
    f[i] = at
    f[i + 1] = pkt
    this.count++
    if (this.count === 1) this.sched.schedule(at, this.targetId, ARRIVE, this.epoch)
  }

  /** The link fails: frames on the wire are lost, and so is anything put on it until it is up again. */
  fail(): void {
    this.down = true
    const f = this.store.f64
    for (let i = 0; i < this.count; i++) {
      const pkt = f[this.ringBase + 2 * ((this.head + i) & this.ringMask) + 1]!
      this.onLoss?.(pkt, true)
      this.pool.free(pkt)
    }
    this.lost += this.count
    this.count = 0
    this.epoch++
  }

  onEvent(_kind: number, epoch: number): void {
    if (epoch !== this.epoch) return
    const f = this.store.f64
    const pkt = f[this.ringBase + 2 * this.head + 1]!
    this.head = (this.head + 1) & this.ringMask
    this.count--
    if (this.count > 0) this.sched.schedule(f[this.ringBase + 2 * this.head]!, this.targetId, ARRIVE, this.epoch)
    this.pool.ingress[pkt] = this.ingressIndex
    this.next!.receive(pkt)
  }

  /** Moves the full ring to a segment twice its size, oldest frame first. */
  private grow(): void {
    const capacity = 2 * (this.ringMask + 1)
    const base = this.store.allocRing(capacity)
    const f = this.store.f64
    for (let i = 0; i < this.count; i++) {
      const from = this.ringBase + 2 * ((this.head + i) & this.ringMask)
      f[base + 2 * i] = f[from]!
      f[base + 2 * i + 1] = f[from + 1]!
    }
    this.ringBase = base
    this.ringMask = capacity - 1
    this.head = 0
  }
}
