import type { PacketId, PacketPool } from '@aifab/core'

/**
 * What an ACK tells the sender's congestion controller. One instance per NIC,
 * refilled for every ACK (no allocation per packet): read it during the call,
 * do not keep it. INT records, when the fabric stamps them, are hop 0 (first
 * switch) to intHops - 1.
 */
export class AckInfo {
  ackedBytes = 0
  /** The cumulative acknowledgement: every PSN below it has arrived. */
  ackPsn = 0
  /** The sender's next new PSN when the ACK arrived (per-RTT bookkeeping: an ACK at or past a remembered nextPsn closes a round trip). */
  nextPsn = 0
  rttPs = 0
  ecnEcho = false
  /** CE-marked data packets this ACK covers (ackedBytes / MTU packets in all). */
  ceMarkedPackets = 0
  nack = false
  intHops = 0
  private pool: PacketPool | null = null
  private pkt: PacketId = -1

  fill(pool: PacketPool, pkt: PacketId, ackPsn: number, nextPsn: number, ackedBytes: number, rttPs: number, ecnEcho: boolean, nack: boolean): this {
    this.pool = pool
    this.pkt = pkt
    this.ackPsn = ackPsn
    this.nextPsn = nextPsn
    this.ackedBytes = ackedBytes
    this.rttPs = rttPs
    this.ecnEcho = ecnEcho
    this.nack = nack
    this.intHops = pool.intHops[pkt]!
    this.ceMarkedPackets = pool.ceCount[pkt]!
    return this
  }

  private slot(hop: number): number {
    return this.pkt * this.pool!.intMaxHops + hop
  }
  /** Id of the switch that stamped hop `hop`. */
  hopSwitch(hop: number): number {
    return this.pool!.intSwitch[this.slot(hop)]!
  }
  /** Fabric-wide index of the egress port that stamped hop `hop`. */
  hopPort(hop: number): number {
    return this.pool!.intPort[this.slot(hop)]!
  }
  hopRateBps(hop: number): number {
    return this.pool!.intRateBps[this.slot(hop)]!
  }
  /** When the packet left that switch's egress queue. */
  hopTsPs(hop: number): number {
    return this.pool!.intTsPs[this.slot(hop)]!
  }
  /** Bytes that egress port had sent, cumulative, at that moment. */
  hopTxBytes(hop: number): number {
    return this.pool!.intTxBytes[this.slot(hop)]!
  }
  /** Bytes left queued behind the packet at that port. */
  hopQlenBytes(hop: number): number {
    return this.pool!.intQlenBytes[this.slot(hop)]!
  }
}
