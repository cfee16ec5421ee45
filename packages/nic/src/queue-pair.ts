import type { CongestionControl } from './congestion-control.ts'

/** Numbers per message in QueuePair.msgs, 2^MSG_SHIFT: op id, first PSN, end PSN, last packet's bytes. */
const MSG_SHIFT = 2

/**
 * One reliable connection from a source host to a destination host: the
 * sender's and the receiver's state side by side (each NIC touches only its own
 * half). Messages posted on a queue pair are sent and completed in order; their
 * PSNs are consecutive.
 */
export class QueuePair {
  /**
   * Messages, in post order, four numbers each (see MSG_SHIFT): one array,
   * not one per field, since V8 gives an array room for 17 elements on its
   * first push: four arrays were 600 bytes of each queue pair of a
   * million-flow all-to-all.
   */
  private readonly msgs: number[] = []
  /** PSN after the last posted packet. */
  endPsn = 0

  // Sender.
  sndUna = 0
  sndNxt = 0
  /** One past the highest PSN ever sent: anything below it being sent again is a retransmission. */
  sndMax = 0
  /** Index of the message that holds `sndNxt`. */
  txMsg = 0
  /** `reorder` mode: PSNs to resend, oldest request first. */
  retxQueue: number[] = []
  lastProgressPs = 0
  /** The latest RTT sample an ACK brought (ps); -1 before the first. */
  lastRttPs = -1
  timerArmed = false
  // Entropy policy state (see entropy-policy.ts).
  entropyCounter = 0
  recycled: Int32Array | null = null
  recycledHead = 0
  recycledCount = 0

  // Pacing: the next data packet may start at nextSendPs; a timer wakes the queue pair then.
  nextSendPs = 0
  paceArmed = false
  /** Congestion-control timers pending (tag, delay), and those parked while the flow is idle. */
  ccTimers: { tag: number; delayPs: number; duePs: number }[] = []
  parkedTimers: { tag: number; delayPs: number; duePs: number }[] = []
  /** Receiver (DCQCN notification point): when the last CNP was sent. */
  lastCnpPs = -Infinity

  // Selective repeat, sender: which PSNs in [sndUna, sndUna + window) the receiver has SACKed,
  // and which holes were already resent since the last timeout (indexed by PSN modulo the window).
  sacked: Uint8Array | null = null
  resent: Uint8Array | null = null
  highestSacked = -1

  /** The NIC lane (transmit ring and ports) this queue pair sends on, and its receiver answers on. */
  lane = 0
  /** The rate its lane lets it send at (one plane, NVLink); 0: the NIC's line rate. Pacing starts below it. */
  lineRateBps = 0
  /** True while the queue pair sits in its NIC's transmit ring. */
  active = false
  retransmittedPackets = 0
  timeouts = 0
  /** Timeouts since the last progress; beyond the retry limit the queue pair fails. */
  timeoutsInARow = 0
  /** Gave up after too many timeouts in a row: sends nothing more. */
  failed = false

  // Receiver.
  rcvNxt = 0
  /** `reorder` mode: how many PSNs from rcvNxt on the receiver can hold. */
  readonly rcvWindow: number
  /**
   * `reorder` mode: one flag per PSN in [rcvNxt, rcvNxt + rcvWindow), indexed
   * by PSN modulo the window; made on the first packet that arrives ahead of
   * rcvNxt. Most queue pairs of a million-flow all-to-all never see one, and
   * a typed array each would cost them more than all their other state.
   */
  rcvBitmap: Uint8Array | null = null
  /** `reorder` mode: packets accepted beyond rcvNxt, not yet in order. */
  rcvHeld = 0
  rcvHighest = -1
  rcvSinceAck = 0
  rcvCeSinceAck = false
  /** Receiver: CE-marked packets since the last ACK (echoed as a count, for DCTCP's fraction). */
  rcvCeCount = 0
  /** Receiver: the delayed-ACK timer is pending; when the last packet was accepted and the send time it carried. */
  ackTimerArmed = false
  lastAcceptPs = 0
  lastAcceptSentPs = 0
  lastAcceptEntropy = 0
  lastNakPsn = -1
  lastNakPs = -Infinity
  /** Index of the next message to complete at the receiver. */
  rxMsg = 0

  constructor(
    readonly id: number,
    readonly srcHost: number,
    readonly dstHost: number,
    readonly channel: number,
    readonly entropy: number,
    public cc: CongestionControl,
    reorderWindowPackets: number,
  ) {
    this.rcvWindow = reorderWindowPackets
  }

  /** Whether `psn`, at most rcvWindow - 1 ahead of rcvNxt, is held out of order. */
  rcvHolds(psn: number): boolean {
    return this.rcvHeld > 0 && this.rcvBitmap![psn % this.rcvWindow] === 1
  }

  /** Marks `psn` (ahead of rcvNxt, within the window) as held. */
  rcvHold(psn: number): void {
    if (this.rcvBitmap === null) this.rcvBitmap = new Uint8Array(this.rcvWindow)
    this.rcvBitmap[psn % this.rcvWindow] = 1
    this.rcvHeld++
  }

  /** Whether the receiver already holds `psn` (so a lost copy of it costs nothing). */
  hasReceived(psn: number): boolean {
    if (psn < this.rcvNxt) return true
    const ahead = psn - this.rcvNxt
    return ahead < this.rcvWindow && this.rcvHolds(psn)
  }

  /** Appends a message of `bytes` (> 0) for op `opId`, cut into packets of `mtuBytes`. */
  post(opId: number, bytes: number, mtuBytes: number): void {
    const packets = Math.ceil(bytes / mtuBytes)
    const start = this.endPsn
    this.endPsn += packets
    this.msgs.push(opId, start, this.endPsn, bytes - (packets - 1) * mtuBytes)
  }

  /** Messages posted. */
  get msgCount(): number {
    // A shift, not a division: V8 keeps the result a small integer, and the indices made from it too.
    return this.msgs.length >> MSG_SHIFT
  }
  /** Message i's op id. */
  msgOp(i: number): number {
    return this.msgs[i << MSG_SHIFT]!
  }
  /** Message i's first PSN. */
  msgStartPsn(i: number): number {
    return this.msgs[(i << MSG_SHIFT) + 1]!
  }
  /** Message i's end PSN (exclusive). */
  msgEndPsn(i: number): number {
    return this.msgs[(i << MSG_SHIFT) + 2]!
  }
  /** The bytes of message i's last packet. */
  msgLastBytes(i: number): number {
    return this.msgs[(i << MSG_SHIFT) + 3]!
  }

  /** Index of the message holding `psn`, searching back from `hint` (PSNs only move back on a rewind). */
  msgIndexOf(psn: number, hint: number): number {
    let i = Math.min(hint, this.msgCount - 1)
    while (i > 0 && this.msgStartPsn(i) > psn) i--
    while (this.msgEndPsn(i) <= psn) i++
    return i
  }
}
