import { PacketFlag, PacketKind, psFromUs, type EventTarget, type PacketId } from '@aifab/core'
import type { Fabric } from './fabric.ts'
import type { FaultEvent } from './fault.ts'

const APPLY = 0
const RESTORE = 1
const DETECT = 2

/** What one fault did, for the report. */
export interface FaultRecord {
  kind: FaultEvent['kind']
  link: string
  atPs: number
  /** down: when it came back up, if it did. */
  untilPs: number | null
  /** down: when routing stopped using the cable (atPs + detection delay), if it got that far. */
  detectedAtPs: number | null
  /** Frames lost to it: on the wire, in the ports' queues, sent into it before routing reacted, or to random loss. */
  lostFrames: number
  lostDataPackets: number
  /** down: from the failure until every data packet it destroyed had been delivered by a retransmission; null while any is missing. */
  recoveryTimePs: number | null
}

/** Per cable: how many down faults hold it down, and which faults its losses count against. */
interface CableState {
  downs: number[]
  loss: number
}

/**
 * Applies the profile's faults at their times and tells routing after the
 * detection delay. Overlapping down faults on one cable keep it down until the
 * last ends. Losses count against the fault that caused them: the latest down
 * fault for frames lost to the failure, the loss fault for random loss. It
 * watches the data packets a down fault destroys until their retransmissions
 * are delivered, to report the recovery time.
 */
export class FaultInjector implements EventTarget {
  readonly records: FaultRecord[]
  private readonly targetId: number
  /** Per down fault: qp x 2^32 + psn of the data packets it destroyed and the receiver still lacks. */
  private readonly missing: Set<number>[]
  private missingTotal = 0
  private readonly downCables = new Set<string>()
  private readonly cables = new Map<string, CableState>()

  constructor(
    private readonly fabric: Fabric,
    private readonly faults: readonly { event: FaultEvent; cable: string }[],
    private readonly detectionDelayPs: number,
  ) {
    this.targetId = fabric.sched.register(this)
    this.records = faults.map(({ event, cable }) => ({
      kind: event.kind,
      link: cable,
      atPs: psFromUs(event.atUs),
      untilPs: event.kind === 'down' && event.untilUs !== undefined ? psFromUs(event.untilUs) : null,
      detectedAtPs: null,
      lostFrames: 0,
      lostDataPackets: 0,
      recoveryTimePs: null,
    }))
    this.missing = faults.map(() => new Set<number>())
    faults.forEach(({ event, cable }, i) => {
      if (!this.cables.has(cable)) this.watch(cable)
      fabric.sched.schedule(psFromUs(event.atUs), this.targetId, APPLY, i)
      if (event.kind === 'down' && event.untilUs !== undefined) fabric.sched.schedule(psFromUs(event.untilUs), this.targetId, RESTORE, i)
    })
    for (const nic of fabric.nics) nic.deliveryWatch = (qp, psn) => this.delivered(qp, psn)
  }

  onEvent(kind: number, i: number): void {
    const { event, cable } = this.faults[i]!
    const ports = this.fabric.cables.get(cable)!
    const state = this.cables.get(cable)!
    const now = this.fabric.sched.nowPs
    if (kind === DETECT) {
      const down = ports[0]!.down
      if (down) this.downCables.add(cable)
      else this.downCables.delete(cable)
      if (down && this.records[i]!.detectedAtPs === null) this.records[i]!.detectedAtPs = now
      this.fabric.reroute(this.downCables)
      return
    }
    if (event.kind === 'down') {
      if (kind === APPLY) state.downs.push(i)
      else state.downs.splice(state.downs.indexOf(i), 1)
      const down = state.downs.length > 0
      if (down !== ports[0]!.down) {
        for (const port of ports) port.setDown(down)
        this.fabric.sched.schedule(now + this.detectionDelayPs, this.targetId, DETECT, i)
      }
    } else if (event.kind === 'rate') {
      for (const port of ports) {
        port.setRate(event.rateGbps * 1e9)
      }
    } else {
      state.loss = i
      for (const port of ports) {
        // A port is named `from>to`: with `towards`, only the direction into that end loses.
        if (event.towards !== undefined && !port.name.endsWith(`>${event.towards}`)) continue
        port.link.lossRate = event.lossRate
        port.link.lossRng = this.fabric.rng.stream(`fault/${i}/${port.name}/loss`)
      }
    }
  }

  /** Routes every loss on `cable` (both directions) to the fault that caused it. */
  private watch(cable: string): void {
    const state: CableState = { downs: [], loss: -1 }
    this.cables.set(cable, state)
    const pool = this.fabric.pool
    const count = (pkt: PacketId, failed: boolean) => {
      const i = failed ? state.downs[state.downs.length - 1] : state.loss
      if (i === undefined || i < 0) return
      const record = this.records[i]!
      record.lostFrames++
      if (pool.kind[pkt] !== PacketKind.DATA || (pool.flags[pkt]! & PacketFlag.TRIMMED) !== 0) return
      record.lostDataPackets++
      const qp = pool.qp[pkt]!
      const psn = pool.psn[pkt]!
      if (!failed || this.fabric.qps[qp]!.hasReceived(psn)) return
      const key = qp * 2 ** 32 + psn
      if (!this.missing[i]!.has(key)) {
        this.missing[i]!.add(key)
        this.missingTotal++
      }
    }
    for (const port of this.fabric.cables.get(cable)!) {
      port.onFaultLoss = (pkt) => count(pkt, true)
      port.link.onLoss = count
    }
  }

  private delivered(qp: number, psn: number): void {
    if (this.missingTotal === 0) return
    const key = qp * 2 ** 32 + psn
    for (let i = 0; i < this.missing.length; i++) {
      const m = this.missing[i]!
      if (m.size > 0 && m.delete(key)) {
        this.missingTotal--
        if (m.size === 0) this.records[i]!.recoveryTimePs = this.fabric.sched.nowPs - this.records[i]!.atPs
      }
    }
  }
}
