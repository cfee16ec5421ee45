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

const ARRIVE = 0

/**
 * The propagation pipe of a link, including the fixed latency of the device it
 * leads into (a switch's forwarding pipeline, a NIC's processing). A link is a FIFO with a constant delay, so
 * packets leave in the order they entered: they wait in a ring buffer and only
 * the head's arrival is scheduled. The heap holds one event per busy link, not
 * one per packet in flight.
 */
export class Link implements EventTarget {
  next: PacketSink | null = null
  /** The egress port that feeds this link (set by the port): where a PAUSE for this link's traffic goes. */
  from: EgressPort | null = null
  /** This link's index among the ingress links of the switch it leads to; stamped on every packet it delivers. */
  ingressIndex = 0
  /**
   * The device at the far end forwards a frame once its headers are in (cut
   * through) rather than after its last bit: the frame is handed over the
   * serialization time of everything after the headers earlier.
   */
  cutThrough = false
  /** Frames that entered this link (data and control): one packet-hop each. */
  packetsCarried = 0
  bytesCarried = 0
  /** Frames lost on this link: random loss, or on the wire when it failed. */
  lost = 0
  /** A failed link loses whatever is put on it. */
  down = false
  /** Probability that a frame is lost on the wire; drawn from `lossRng`. */
  lossRate = 0
  lossRng: Rng | null = null
  /** Told of every frame this link loses (fault accounting): `failed` when the link was down, else random loss. */
  onLoss: ((pkt: PacketId, failed: boolean) => void) | null = null
  /** Bumped when the link fails: arrival events scheduled before are stale. */
  private epoch = 0

  private ringPkt: Int32Array
  private ringTimePs: Float64Array
  private head = 0
  private count = 0
  private readonly targetId: number

  constructor(
    private readonly sched: Scheduler,
    private readonly pool: PacketPool,
    readonly name: string,
    /** Propagation plus the latency of the device the link leads into. */
    readonly delayPs: number,
    /** Propagation alone (what a PFC frame going the other way takes); defaults to delayPs. */
    readonly propagationPs = delayPs,
  ) {
    // Eight entries keep both arrays inside V8's heap object (typed arrays of up to 64 bytes are stored
    // inline), so a hop touches no separate store; a link with more frames on the wire grows them.
    this.ringPkt = new Int32Array(8)
    this.ringTimePs = new Float64Array(8)
    this.targetId = sched.register(this)
  }

  /** Frames on the wire right now. */
  get inFlight(): number {
    return this.count
  }

  /** Called by the egress port when the last bit of `pkt` has been serialized. */
  accept(pkt: PacketId, wireBytes: number): void {
    this.packetsCarried++
    this.bytesCarried += wireBytes
    if (this.down || (this.lossRate > 0 && this.lossRng!.nextFloat() < this.lossRate)) {
      this.lost++
      this.onLoss?.(pkt, this.down)
      this.pool.free(pkt)
      return
    }
    if (this.count === this.ringPkt.length) this.grow()
    let at = this.sched.nowPs + this.delayPs
    if (this.cutThrough && wireBytes > CUT_THROUGH_HEADER_BYTES) at -= serializationPs(wireBytes - CUT_THROUGH_HEADER_BYTES, this.from!.txRateBps)
    const slot = (this.head + this.count) & (this.ringPkt.length - 1)
    this.ringPkt[slot] = pkt
    this.ringTimePs[slot] = at
    this.count++
    if (this.count === 1) this.sched.schedule(at, this.targetId, ARRIVE, this.epoch)
  }

  /** The link fails: frames on the wire are lost, and so is anything put on it until it is up again. */
  fail(): void {
    this.down = true
    const mask = this.ringPkt.length - 1
    for (let i = 0; i < this.count; i++) {
      const pkt = this.ringPkt[(this.head + i) & mask]!
      this.onLoss?.(pkt, true)
      this.pool.free(pkt)
    }
    this.lost += this.count
    this.count = 0
    this.epoch++
  }

  onEvent(_kind: number, epoch: number): void {
    if (epoch !== this.epoch) return
    const mask = this.ringPkt.length - 1
    const pkt = this.ringPkt[this.head]!
    this.head = (this.head + 1) & mask
    this.count--
    if (this.count > 0) this.sched.schedule(this.ringTimePs[this.head]!, this.targetId, ARRIVE, this.epoch)
    this.pool.ingress[pkt] = this.ingressIndex
    this.next!.receive(pkt)
  }

  private grow(): void {
    const cap = this.ringPkt.length * 2
    const pkts = new Int32Array(cap)
    const times = new Float64Array(cap)
    const mask = this.ringPkt.length - 1
    for (let i = 0; i < this.count; i++) {
      pkts[i] = this.ringPkt[(this.head + i) & mask]!
      times[i] = this.ringTimePs[(this.head + i) & mask]!
    }
    this.ringPkt = pkts
    this.ringTimePs = times
    this.head = 0
  }
}
