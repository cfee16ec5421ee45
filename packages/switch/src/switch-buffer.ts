import { PacketFlag, PacketKind, serializationPs, type PacketId, type PacketPool, type Scheduler } from '@aifab/core'
import { PortEvent, type BufferPolicy, type EgressPort, type Link } from '@aifab/link'

/** PFC (802.1Qbb) on the data class, per ingress link (REFERENCE.md, PFC). */
export interface PfcConfig {
  /** Bytes buffered from one ingress above which a PAUSE goes upstream. */
  xoffBytes: number
  /** Bytes below which a RESUME follows. */
  xonBytes: number
  /** Extra bytes per ingress that absorb what was already on the wire when the PAUSE left. */
  headroomBytes: number
}

export interface SwitchBufferConfig {
  /** `static`: each egress queue holds at most portBufferBytes. `shared`: one pool, each queue at most alpha x the free pool. */
  model: 'static' | 'shared'
  portBufferBytes: number
  /** Size of the pool (shared), or the switch's total (static: ports x portBufferBytes). */
  totalBytes: number
  alpha: number
  /** shared: bytes each egress queue may always hold, set aside from the pool. */
  reservePerQueueBytes: number
  pfc: PfcConfig | null
}

/** A PAUSE or RESUME frame: 64 bytes plus preamble and gap. */
export const PFC_FRAME_WIRE_BYTES = 84

/**
 * A switch's buffer: admission for every egress queue (static per-port limit
 * or a shared pool with a dynamic threshold) and, with PFC, per-ingress
 * accounting that pauses the upstream port above XOFF and resumes it below XON.
 * With PFC, data is admitted against its ingress allowance (XOFF + headroom):
 * lossless traffic is never dropped at egress; what overflows the headroom is
 * dropped and counted, so a mis-sized headroom shows.
 */
export class SwitchBuffer implements BufferPolicy {
  usedBytes = 0
  maxUsedBytes = 0
  /** shared: bytes held beyond the queues' reserves, out of the pool's shared part. */
  sharedUsedBytes = 0
  private sharedBytes: number
  pausesSent = 0
  resumesSent = 0
  /** Data frames refused because their ingress exceeded XOFF + headroom (each dropped, or trimmed where trimming is on). */
  headroomOverflows = 0
  headroomOverflowBytes = 0
  /** Frames refused because the whole switch buffer was full. */
  bufferFullRefusals = 0

  readonly ingressBytes: Float64Array
  private readonly pausedUpstream: Uint8Array
  private readonly lastSignalPs: Float64Array

  constructor(
    private readonly sched: Scheduler,
    private readonly pool: PacketPool,
    readonly cfg: SwitchBufferConfig,
    /** The switch's ingress links, by the index each stamps on its packets. */
    private readonly ingressLinks: readonly Link[],
  ) {
    this.ingressBytes = new Float64Array(ingressLinks.length)
    this.pausedUpstream = new Uint8Array(ingressLinks.length)
    this.lastSignalPs = new Float64Array(ingressLinks.length)
    this.sharedBytes = cfg.totalBytes
  }

  /** Sets aside each queue's reserve for `queues` egress queues: the rest is shared. */
  reserveFor(queues: number): void {
    this.sharedBytes = Math.max(0, this.cfg.totalBytes - queues * this.cfg.reservePerQueueBytes)
  }

  /** Bytes of a queue of `q` bytes that live in the shared part. */
  private overReserve(q: number): number {
    return q > this.cfg.reservePerQueueBytes ? q - this.cfg.reservePerQueueBytes : 0
  }

  admit(pkt: PacketId, port: EgressPort): boolean {
    const pool = this.pool
    const bytes = pool.wireBytes[pkt]!
    const cfg = this.cfg
    const data = this.isData(pkt)
    if (this.usedBytes + bytes > cfg.totalBytes) {
      this.bufferFullRefusals++
      return false
    }
    if (data) {
      const pfc = cfg.pfc
      if (pfc !== null) {
        const ing = pool.ingress[pkt]!
        const held = this.ingressBytes[ing]!
        // Crossing XOFF pauses the sender, even when the frame then finds the headroom used up.
        if (held + bytes > pfc.xoffBytes && this.pausedUpstream[ing] === 0) this.signal(ing, PortEvent.PAUSE)
        if (held + bytes > pfc.xoffBytes + pfc.headroomBytes) {
          this.headroomOverflows++
          this.headroomOverflowBytes += bytes
          return false
        }
        this.ingressBytes[ing] = held + bytes
      } else if (cfg.model === 'static') {
        if (port.queuedBytes + bytes > cfg.portBufferBytes) return false
      } else {
        // Dynamic threshold: within its reserve a queue always gets in; beyond,
        // its shared bytes may reach alpha x what the pool has left.
        const extra = this.overReserve(port.queuedBytes + bytes)
        if (extra > 0 && extra > cfg.alpha * (this.sharedBytes - this.sharedUsedBytes)) return false
      }
    }
    // Control frames (ACK, NAK, trimmed headers) ride their own strict-priority
    // class: they only need room in the switch, not in the data queue's share.
    this.sharedUsedBytes += this.overReserve(port.queuedBytes + bytes) - this.overReserve(port.queuedBytes)
    this.usedBytes += bytes
    if (this.usedBytes > this.maxUsedBytes) this.maxUsedBytes = this.usedBytes
    return true
  }

  release(pkt: PacketId, port: EgressPort): void {
    const bytes = this.pool.wireBytes[pkt]!
    // The port has already taken the frame off its queue.
    this.sharedUsedBytes -= this.overReserve(port.queuedBytes + bytes) - this.overReserve(port.queuedBytes)
    this.usedBytes -= bytes
    const pfc = this.cfg.pfc
    if (pfc === null || !this.isData(pkt)) return
    const ing = this.pool.ingress[pkt]!
    const held = (this.ingressBytes[ing]! -= bytes)
    if (this.pausedUpstream[ing] === 1 && held <= pfc.xonBytes) this.signal(ing, PortEvent.RESUME)
  }

  /** Data proper, the lossless class: not an ACK or NAK, not a trimmed header. */
  private isData(pkt: PacketId): boolean {
    return this.pool.kind[pkt] === PacketKind.DATA && (this.pool.flags[pkt]! & PacketFlag.TRIMMED) === 0
  }

  /**
   * Sends a PAUSE or RESUME to the port feeding ingress `ing`: it arrives after
   * its own serialization and the cable's propagation delay (MAC control frames
   * skip the forwarding pipeline, and are not queued behind data on the reverse
   * link), and never before the signal sent before it.
   */
  private signal(ing: number, kind: number): void {
    const link = this.ingressLinks[ing]!
    const upstream = link.from!
    this.pausedUpstream[ing] = kind === PortEvent.PAUSE ? 1 : 0
    if (kind === PortEvent.PAUSE) this.pausesSent++
    else this.resumesSent++
    const at = Math.max(
      this.lastSignalPs[ing]!,
      this.sched.nowPs + serializationPs(PFC_FRAME_WIRE_BYTES, upstream.cfg.rateBps) + link.propagationPs,
    )
    this.lastSignalPs[ing] = at
    this.sched.schedule(at, upstream.targetId, kind, 0)
  }
}
