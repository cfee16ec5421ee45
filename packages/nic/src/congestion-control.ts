import type { AckInfo } from './ack-info.ts'

/**
 * The seam for congestion control: a per-queue-pair object that reacts to
 * feedback and sets a window (and, later, a pacing rate). Only the fixed window
 * exists for now; the plug-in registry, user modules and DCQCN/HPCC/... come with
 * the congestion-control issue and implement this same shape.
 */
export interface CongestionControl {
  readonly name: string
  /** In-flight limit in payload bytes. */
  windowBytes: number
  /** Pacing rate; the NIC currently paces every queue pair at its line rate. */
  rateBps: number
  /** Every ACK or NAK: bytes newly acknowledged, RTT sample, ECN echo, INT records of the path. */
  onAck(ack: AckInfo): void
  onNack(): void
  onTimeout(): void
}

/** `none`: a fixed window at line rate, deaf to feedback. */
export class FixedWindow implements CongestionControl {
  readonly name = 'none'
  constructor(
    public windowBytes: number,
    public rateBps: number,
  ) {}
  onAck(_ack: AckInfo): void {}
  onNack(): void {}
  onTimeout(): void {}
}
