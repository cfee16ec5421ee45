import { InputError, psFromNs, type EventTarget, type Scheduler } from '@aifab/core'
import { CcError, type MessageListener } from '@aifab/nic'
import type { Fabric } from '@aifab/topology'
import type { Trace } from './trace.ts'
import { FlowSampler, type RateExcess, type TimeSeries } from './flow-sampler.ts'
import { OpIndex, opGraph, type OpGraph } from './op-graph.ts'

const START_OP = 0
const COMPUTE_DONE = 1

export interface ReplayLimits {
  /** Stop when simulated time passes this (ps). */
  maxSimTimePs?: number
  maxEvents?: number
  /** Sample every queue pair's rate, window, RTT and U at this interval (ps); absent: no time series. */
  sampleIntervalPs?: number
  /** Told between slices (every 10 us of simulated time or 2^20 events) how far the run is (for a progress bar). Not an event: the run is the same with or without it. */
  onProgress?: (completedOps: number, totalOps: number, simPs: number, events: number) => void
  /**
   * Asked before each slice: true stops the run there, with outcome
   * `interrupted` (Ctrl-C), unless every op is done already. Like onProgress,
   * it changes nothing in a run it does not stop.
   */
  stopRequested?: () => boolean
}

/** A slice of the run between progress calls and stop checks: this much simulated time, or this many events on a fabric so large that 10 us take seconds. */
const SLICE_PS = 10_000_000
const SLICE_EVENTS = 1 << 20

/**
 * How a run ended. `cc-error`: a congestion controller broke its contract (see
 * ReplayResult.error); `interrupted`: stopped on request (Ctrl-C) before the
 * trace was done.
 */
export type ReplayOutcome = 'complete' | 'time-limit' | 'event-limit' | 'stalled' | 'cc-error' | 'interrupted'

/** Why the scheduler stopped, or why the replay stopped it. */
type StopReason = ReturnType<Scheduler['run']> | 'cc-error' | 'interrupted'

export interface ReplayResult {
  outcome: ReplayOutcome
  /** What stopped a `cc-error` run: the module, the queue pair, the event and what went wrong. */
  error: string | null
  /** Per op (trace order): when it was posted at its sender (deps met, startNs reached); -1 if never. */
  opStartPs: Float64Array
  /** Per op: when its last byte was placed at the receiver; -1 if never. */
  opEndPs: Float64Array
  /** Host of each rank. */
  hostOfRank: number[]
  completedOps: number
  /** Bytes of messages the topology does not simulate (intra-server without NVLink), completed at once. */
  skippedBytes: number
  /** With sampling: the first interval in which a port sent faster than its rate (an invariant; null when none). */
  rateExcess: RateExcess | null
  /** Per-flow congestion-control time series, when sampling was asked for. */
  timeSeries: TimeSeries | null
  /** Simulated time when the run stopped (after the last ACK drained). */
  simEndPs: number
  events: number
}

/** Rank -> host: the trace's placement, or rank i on host i. Errors name the trace file. */
export function placeRanks(trace: Trace, hosts: number, source: string): number[] {
  if (trace.ranks > hosts) {
    throw new InputError(source, 'ranks', `${trace.ranks} ranks do not fit on a topology of ${hosts} hosts`)
  }
  return Array.from({ length: trace.ranks }, (_, r) => {
    const h = trace.placement ? trace.placement[r]! : r
    if (h >= hosts) throw new InputError(source, `placement[${r}]`, `host ${h} out of range 0..${hosts - 1}`)
    return h
  })
}

/**
 * Replays a trace on a fabric: an op is posted on its queue pair once all its
 * deps have completed and its startNs has come; it completes when the
 * receiving NIC has placed its last byte.
 */
export function replay(fabric: Fabric, trace: Trace, source: string, limits: ReplayLimits = {}): ReplayResult {
  const r = new Replayer(fabric, trace, source, limits)
  let why: StopReason | null
  while ((why = r.slice()) === null);
  return r.result(why)
}

/**
 * The same run as `replay`, letting the event loop run between slices, so a
 * signal handler (Ctrl-C) can ask `limits.stopRequested` to stop it: a run
 * on the main thread is otherwise deaf until it ends.
 */
export async function replayYielding(fabric: Fabric, trace: Trace, source: string, limits: ReplayLimits = {}): Promise<ReplayResult> {
  const r = new Replayer(fabric, trace, source, limits)
  let why: StopReason | null
  while ((why = r.slice()) === null) await new Promise((resolve) => setImmediate(resolve))
  return r.result(why)
}

/** PSNs are 32-bit: the packets of all messages on one queue pair must fit. */
function checkPsnSpace(trace: Trace, hostOfRank: number[], mtuBytes: number, source: string): void {
  const packets = new Map<string, number>()
  trace.ops.forEach((op, i) => {
    const key = `${hostOfRank[op.src]}/${hostOfRank[op.dst]}/${op.channel ?? 0}`
    const n = (packets.get(key) ?? 0) + Math.ceil(op.bytes / mtuBytes)
    if (n >= 2 ** 31) {
      throw new InputError(source, `ops[${i}].bytes`, `the ops from rank ${op.src} to rank ${op.dst} on channel ${op.channel ?? 0} exceed 2^31 packets of ${mtuBytes} bytes (32-bit PSNs); split them over channels`)
    }
    packets.set(key, n)
  })
}

class Replayer implements MessageListener, EventTarget {
  private readonly n: number
  private readonly startPs: Float64Array
  private readonly endPs: Float64Array
  private readonly waitingOn: Int32Array
  private readonly stripesLeft: Int32Array
  private readonly graph: OpGraph
  private readonly hostOfRank: number[]
  private readonly targetId: number
  private completed = 0
  private skippedBytes = 0

  private readonly sampler: FlowSampler | null
  private readonly untilPs: number
  private readonly maxEvents: number
  /** Events executed before the run began (a fabric's scheduler may have run before). */
  private readonly firstEvent: number
  /** Whether the run goes in slices (for progress or stop checks) rather than in one go. */
  private readonly sliced: boolean
  private slicePs = SLICE_PS
  private error: string | null = null

  constructor(
    private readonly fabric: Fabric,
    private readonly trace: Trace,
    source: string,
    private readonly limits: ReplayLimits,
  ) {
    this.n = trace.ops.length
    this.hostOfRank = placeRanks(trace, fabric.hosts, source)
    this.startPs = new Float64Array(this.n).fill(-1)
    this.endPs = new Float64Array(this.n).fill(-1)
    this.waitingOn = new Int32Array(this.n)
    this.stripesLeft = new Int32Array(this.n)
    checkPsnSpace(trace, this.hostOfRank, fabric.mtuBytes, source)
    this.graph = opGraph(trace.ops, OpIndex.of(trace.ops))
    trace.ops.forEach((op, i) => (this.waitingOn[i] = op.deps.length))
    this.targetId = fabric.sched.register(this)
    for (const nic of fabric.nics) nic.listener = this
    for (let i = 0; i < this.n; i++) if (this.waitingOn[i] === 0) this.release(i)
    this.sampler = limits.sampleIntervalPs ? new FlowSampler(fabric, limits.sampleIntervalPs, () => this.completed === this.n) : null
    this.untilPs = limits.maxSimTimePs ?? Infinity
    this.maxEvents = limits.maxEvents ?? Infinity
    this.firstEvent = fabric.sched.executed
    this.sliced = limits.onProgress !== undefined || limits.stopRequested !== undefined
  }

  /**
   * Runs the next slice: to the next multiple of 10 us of simulated time or
   * for 2^20 events, whichever comes first (the whole run in one go when
   * neither progress nor stop checks are wanted), the event budget carried
   * across slices, so the same events run in the same order either way.
   * Returns why the run ended, or null when it goes on.
   */
  slice(): StopReason | null {
    const sched = this.fabric.sched
    // Asked before each slice, the first too (a run that starts after the stop runs no event);
    // not once every op is done: the few events left (timers draining) are what a complete run's report counts.
    if (this.limits.stopRequested?.() === true && this.completed < this.n) return 'interrupted'
    const left = this.maxEvents - (sched.executed - this.firstEvent)
    const cap = this.sliced ? Math.min(left, SLICE_EVENTS) : left
    let why: ReturnType<Scheduler['run']>
    try {
      why = sched.run(this.sliced ? Math.min(this.untilPs, this.slicePs) : this.untilPs, cap)
    } catch (e) {
      if (!(e instanceof CcError)) throw e
      this.error = e.message
      return 'cc-error'
    }
    if (!this.sliced) return why
    if (why === 'time-limit') {
      if (this.slicePs >= this.untilPs) return why
      // The next slice ends after the next event (a quiet gap is skipped, not walked).
      this.slicePs = Math.max(this.slicePs + SLICE_PS, (Math.floor(sched.peekTimePs() / SLICE_PS) + 1) * SLICE_PS)
    } else if (!(why === 'event-limit' && cap < left)) {
      return why
    }
    this.limits.onProgress?.(this.completed, this.n, sched.nowPs, sched.executed)
    return null
  }

  /** The run's result, once `slice` has said why it ended. */
  result(why: StopReason): ReplayResult {
    const sched = this.fabric.sched
    const sampler = this.sampler
    const outcome: ReplayOutcome =
      why === 'cc-error'
        ? 'cc-error'
        : this.completed === this.n
          ? 'complete'
          : why === 'time-limit' || why === 'event-limit' || why === 'interrupted'
            ? why
            : 'stalled'
    return {
      outcome,
      error: this.error,
      opStartPs: this.startPs,
      opEndPs: this.endPs,
      hostOfRank: this.hostOfRank,
      completedOps: this.completed,
      skippedBytes: this.skippedBytes,
      timeSeries: sampler?.result() ?? null,
      rateExcess: sampler?.rateExcess ?? null,
      simEndPs: sched.nowPs,
      events: sched.executed,
    }
  }

  /** All deps of op i are done: post it now, or at its startNs. */
  private release(i: number): void {
    const op = this.trace.ops[i]!
    const at = Math.max(this.fabric.sched.nowPs, op.startNs !== undefined ? psFromNs(op.startNs) : 0)
    this.fabric.sched.schedule(at, this.targetId, START_OP, i)
  }

  /**
   * Posts op i. With k queue pairs per connection the message is striped over
   * them in k near-equal parts (each its own ECMP hash); it completes when all
   * parts have.
   */
  onEvent(kind: number, i: number): void {
    if (kind === COMPUTE_DONE) {
      this.messageDelivered(i)
      return
    }
    const op = this.trace.ops[i]!
    const src = this.hostOfRank[op.src]!
    const dst = this.hostOfRank[op.dst]!
    this.startPs[i] = this.fabric.sched.nowPs
    if (op.kind === 'compute') {
      // No traffic: the rank is busy, then the op is done.
      this.stripesLeft[i] = 1
      this.fabric.sched.schedule(this.fabric.sched.nowPs + psFromNs(op.durationNs!), this.targetId, COMPUTE_DONE, i)
      return
    }
    if (this.fabric.skips(src, dst)) {
      // A path the topology does not simulate (intra-server without NVLink): done at once.
      this.skippedBytes += op.bytes
      this.stripesLeft[i] = 1
      this.fabric.sched.schedule(this.fabric.sched.nowPs, this.targetId, COMPUTE_DONE, i)
      return
    }
    const k = this.fabric.profile.nic.qpsPerConnection
    const channel = op.channel ?? 0
    for (let s = 0; s < k; s++) {
      const bytes = Math.floor(op.bytes / k) + (s < op.bytes % k ? 1 : 0)
      if (bytes === 0) continue
      this.stripesLeft[i]!++
      this.fabric.nics[src]!.post(this.fabric.openQp(src, dst, channel * k + s), i, bytes)
    }
  }

  messageDelivered(i: number): void {
    if (--this.stripesLeft[i]! > 0) return
    this.endPs[i] = this.fabric.sched.nowPs
    this.completed++
    const { first, dependents } = this.graph
    for (let k = first[i]!; k < first[i + 1]!; k++) if (--this.waitingOn[dependents[k]!]! === 0) this.release(dependents[k]!)
  }
}
