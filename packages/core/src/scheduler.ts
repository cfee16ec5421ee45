import { Heap } from 'heap-js'
import { grown } from './grown.ts'

/**
 * Anything that receives events. Events are data (target, kind, arg), never
 * closures, so scheduling allocates nothing and a run could be snapshotted.
 */
export interface EventTarget {
  onEvent(kind: number, arg: number): void
}

const NONE = -1
/** The calendar starts small and doubles (or halves) with the events it holds. */
const MIN_BUCKETS = 256
const MAX_BUCKETS = 1 << 20
/** Bucket width bounds: 1 ps (an 8192-host fabric has events a few ps apart) to 2^30 ps (about 1 ms). */
const MIN_SHIFT = 0
const MAX_SHIFT = 30
/** Pending events' times sampled to choose a width when the calendar is re-laid. */
const WIDTH_SAMPLE = 4096
/** Checked every this many events: whether inserts walk or reads skip too much for the current width. */
const TUNE_EVERY = 1 << 14

/**
 * Discrete-event scheduler: integer-picosecond clock, events ordered by
 * (timePs, seq) so equal times keep insertion order and runs are deterministic.
 * An event is a slot in typed arrays. Two levels hold the slot ids:
 *
 * - a calendar queue (Brown 1988) for the near future, where nearly every
 *   event lands (transmissions, link arrivals): buckets of one power-of-two
 *   width, each a linked list kept sorted by (time, seq). The width follows
 *   the spacing of the pending events and the number of buckets both their
 *   number and how far ahead events are scheduled (see tune and resize), so
 *   a bucket holds about one distinct time and the horizon reaches the link
 *   arrivals, whether the fabric has 16 ports or 100,000: insertion and
 *   removal stay O(1) instead of growing with the fabric;
 * - heap-js for events beyond the calendar's horizon (buckets x width): CC
 *   timers, timeouts, faults, trace ops starting later.
 *
 * The next event is the earlier of the two heads, so the order is exactly a
 * single heap's. Components keep the structures small by scheduling only the
 * head of each FIFO (see link/).
 */
export class Scheduler {
  nowPs = 0
  /** Events executed so far. */
  executed = 0
  /** Events that went to the heap (beyond the calendar's horizon), for speed work. */
  heapScheduled = 0
  /** Calendar resizes (bucket count or width changed), for speed work. */
  resizes = 0
  /** Events passed by inserts that landed before a bucket's last event, before the last tuning check. */
  private walkedBefore = 0

  private timePs: Float64Array
  private seqNo: Float64Array
  private target: Int32Array
  private kind: Int32Array
  private arg: Float64Array
  /** Next event in the same bucket, or in the free list. */
  private next: Int32Array
  private freeHead = NONE
  private highWater = 0
  private seq = 0
  private readonly heap: Heap<number>
  private readonly targets: EventTarget[] = []
  private stopped = false

  // The calendar. Absolute bucket a = floor(time / width) lives in bucket a & mask;
  // only [baseAbs, baseAbs + buckets) is in use, so a bucket never mixes laps.
  private buckets = MIN_BUCKETS
  private mask = MIN_BUCKETS - 1
  private shift = 17
  private widthPs = 2 ** 17
  /** 1 / widthPs, exact (a power of two): an insert multiplies rather than divides, a fifth of the latency. */
  private perWidthPs = 2 ** -17
  private heads = new Int32Array(MIN_BUCKETS).fill(NONE)
  private tails = new Int32Array(MIN_BUCKETS).fill(NONE)
  /**
   * Per bucket, the event last put into it out of order, or -1: where the next
   * out-of-order insert starts its walk when that is not later than its time.
   * A fabric's events come in clusters of equal times (equal frames sent at the
   * same moment), and a link re-schedules its next arrival behind events
   * scheduled since: a walk from the head passed a dozen events on an
   * all-to-all, one from here about none.
   */
  private fingers = new Int32Array(MIN_BUCKETS).fill(NONE)
  /**
   * The bucket of the last event taken from the calendar (or of the current
   * time after a rebase). It never passes the current time's bucket, so no
   * event can be scheduled behind it: a heap event may run before the
   * calendar's head and schedule into any bucket from now on.
   */
  private baseAbs = 0
  /** The bucket holding the calendar's earliest event, or -1 when not known. */
  private headAbs = -1
  private calendarCount = 0
  // Work since the last tuning check: list nodes passed on insert, empty buckets passed on read.
  private walked = 0
  private skipped = 0
  private sinceTune = 0
  /** Events that went to the heap though they were within four horizons, since the last tuning check. */
  private nearMisses = 0
  /** Events scheduled since the last re-lay by how far ahead: slot k counts [2^(k-1), 2^k) ps (63: 2^31 ps on). */
  private readonly aheadLog2 = new Float64Array(64)
  /** Re-lays for long inserts or skipped buckets that changed nothing; such checks are made that much rarer. */
  private relayBackoff = 1
  private relayTicks = 0
  private readonly byTimeSeq = (a: number, b: number) => this.timePs[a]! - this.timePs[b]! || this.seqNo[a]! - this.seqNo[b]!

  constructor(initialCapacity = 1024) {
    this.timePs = new Float64Array(initialCapacity)
    this.seqNo = new Float64Array(initialCapacity)
    this.target = new Int32Array(initialCapacity)
    this.kind = new Int32Array(initialCapacity)
    this.arg = new Float64Array(initialCapacity)
    this.next = new Int32Array(initialCapacity)
    this.heap = new Heap<number>(this.byTimeSeq)
  }

  /** Registers a target once; the returned id is what `schedule` takes. */
  register(t: EventTarget): number {
    this.targets.push(t)
    return this.targets.length - 1
  }

  /** Schedules `kind, arg` for target `targetId` at absolute time `atPs` (>= now). */
  schedule(atPs: number, targetId: number, kind: number, arg: number): void {
    let id = this.freeHead
    if (id !== NONE) {
      this.freeHead = this.next[id]!
    } else {
      if (this.highWater === this.timePs.length) this.grow()
      id = this.highWater++
    }
    const aheadPs = atPs - this.nowPs
    this.timePs[id] = aheadPs < 0 ? this.nowPs : atPs
    // How far ahead events are scheduled, by powers of two: what the calendar's horizon should reach.
    this.aheadLog2[aheadPs < 1 ? 0 : aheadPs < 2 ** 31 ? 32 - Math.clz32(aheadPs) : 63]!++
    this.seqNo[id] = this.seq++
    this.target[id] = targetId
    this.kind[id] = kind
    this.arg[id] = arg
    // An empty calendar restarts at the current time: after a quiet gap longer than its horizon
    // (compute ops, late trace starts) it would otherwise send every event to the heap.
    if (this.calendarCount === 0) {
      this.baseAbs = Math.floor(this.nowPs / this.widthPs)
      this.headAbs = -1
    }
    this.insert(id)
    if (this.calendarCount + this.heap.length > 2 * this.buckets && this.buckets < MAX_BUCKETS) this.resize(this.buckets * 2)
  }

  /** Puts event `id` in its calendar bucket, after every event of its time or earlier, or in the heap beyond the horizon. */
  private insert(id: number): void {
    const t = this.timePs[id]!
    const abs = Math.floor(t * this.perWidthPs)
    if (abs - this.baseAbs >= this.buckets) {
      this.heapScheduled++
      // Just past the horizon: a sign that the calendar is too short for where events land (a timer far ahead is not).
      if (abs - this.baseAbs < 4 * this.buckets) this.nearMisses++
      // add(), not push(...): push takes rest arguments and builds an array per call.
      this.heap.add(id)
      return
    }
    const b = abs & this.mask
    const next = this.next
    const tail = this.tails[b]!
    if (tail === NONE) {
      this.heads[b] = id
      this.tails[b] = id
      next[id] = NONE
    } else if (this.timePs[tail]! <= t) {
      // The common case: events reach a bucket in time order.
      next[tail] = id
      this.tails[b] = id
      next[id] = NONE
    } else {
      let prev = NONE
      let cur = this.heads[b]!
      const finger = this.fingers[b]!
      if (finger !== NONE && this.timePs[finger]! <= t) {
        prev = finger
        cur = next[finger]!
      }
      while (this.timePs[cur]! <= t) {
        prev = cur
        cur = next[cur]!
        this.walked++
      }
      next[id] = cur
      if (prev === NONE) this.heads[b] = id
      else next[prev] = id
      this.fingers[b] = id
    }
    this.calendarCount++
    if (abs < this.headAbs) this.headAbs = abs
  }

  /** Events passed by inserts that landed before a bucket's last event, for speed work. */
  get insertWalkSteps(): number {
    return this.walkedBefore + this.walked
  }

  get pending(): number {
    return this.heap.length + this.calendarCount
  }

  /** Time of the next event, or Infinity when none is pending. */
  peekTimePs(): number {
    const c = this.calendarHead()
    const h = this.heap.peek()
    if (c === NONE) return h === undefined ? Infinity : this.timePs[h]!
    return h === undefined ? this.timePs[c]! : Math.min(this.timePs[c]!, this.timePs[h]!)
  }

  /** The calendar's earliest event, or -1: the head of the first non-empty bucket from headAbs (or baseAbs) on. */
  private calendarHead(): number {
    if (this.calendarCount === 0) return NONE
    let h = this.headAbs
    if (h === -1 || this.heads[h & this.mask] === NONE) {
      if (h === -1) h = this.baseAbs
      // Every calendar event is in [baseAbs, baseAbs + buckets), so this ends within one lap.
      while (this.heads[h & this.mask] === NONE) {
        h++
        this.skipped++
      }
      this.headAbs = h
    }
    return this.heads[h & this.mask]!
  }

  /** Stops `run` after the event being executed. */
  stop(): void {
    this.stopped = true
  }

  /**
   * Runs events in order until none are left, the next one is later than
   * `untilPs`, `maxEvents` have run, or `stop()` was called. Returns why it ended.
   */
  run(untilPs = Infinity, maxEvents = Infinity): 'idle' | 'time-limit' | 'event-limit' | 'stopped' {
    this.stopped = false
    const heap = this.heap
    const targets = this.targets
    let budget = maxEvents
    for (;;) {
      // The earlier of the calendar's head and the heap's, by (time, seq).
      const c = this.calendarHead()
      const timePs = this.timePs
      let fromHeap = false
      if (heap.length > 0) {
        const h = heap.peek()!
        fromHeap = c === NONE || timePs[h]! < timePs[c]! || (timePs[h] === timePs[c] && this.seqNo[h]! < this.seqNo[c]!)
      } else if (c === NONE) {
        break
      }
      const id = fromHeap ? heap.peek()! : c
      const t = timePs[id]!
      if (t > untilPs) return 'time-limit'
      if (budget-- <= 0) return 'event-limit'
      if (fromHeap) {
        heap.pop()
      } else {
        const b = this.headAbs & this.mask
        const rest = this.next[id]!
        this.heads[b] = rest
        if (rest === NONE) this.tails[b] = NONE
        if (this.fingers[b] === id) this.fingers[b] = NONE
        this.calendarCount--
        this.baseAbs = this.headAbs
      }
      this.nowPs = t
      const tgt = this.target[id]!
      const k = this.kind[id]!
      const a = this.arg[id]!
      this.next[id] = this.freeHead
      this.freeHead = id
      this.executed++
      if (++this.sinceTune === TUNE_EVERY) this.tune()
      targets[tgt]!.onEvent(k, a)
      if (this.stopped) return 'stopped'
    }
    return 'idle'
  }

  /**
   * Every TUNE_EVERY events: a calendar whose horizon is too short (events
   * landing just past it, in the heap) doubles; one much larger than the
   * events pending, with none landing past it, halves; one whose width no
   * longer fits their spacing (long sorted inserts, many empty buckets read
   * past) is re-laid with a new width.
   */
  private tune(): void {
    const walked = this.walked
    this.walkedBefore += walked
    const skipped = this.skipped
    const nearMisses = this.nearMisses
    this.walked = this.skipped = this.sinceTune = this.nearMisses = 0
    const pending = this.calendarCount + this.heap.length
    // Many events just past the horizon: twice the buckets, twice the horizon, the same width.
    if (nearMisses > TUNE_EVERY / 16 && this.buckets < MAX_BUCKETS) {
      this.resize(this.buckets * 2)
    } else {
      const shrink = pending < this.buckets / 4 && nearMisses === 0 && this.buckets > MIN_BUCKETS
      if ((shrink || walked > 2 * TUNE_EVERY || skipped > 4 * TUNE_EVERY) && ++this.relayTicks >= this.relayBackoff) {
        this.relayTicks = 0
        const was = this.shift * MAX_BUCKETS + this.buckets
        this.resize(shrink ? this.buckets / 2 : this.buckets)
        this.relayBackoff = this.shift * MAX_BUCKETS + this.buckets === was ? Math.min(64, this.relayBackoff * 2) : 1
      }
    }
    this.aheadLog2.fill(0)
  }

  /**
   * Re-lays the calendar over `buckets` buckets (about as many as events
   * pending, heap included, or more if that is what it takes for the horizon
   * to reach where nearly every event is scheduled) with a
   * width of the mean spacing of the earlier half of the pending events
   * (Brown's rule, with his factor of 3 brought down to 1: passing an empty
   * bucket reads one counter, while passing an event in a bucket is a cache
   * miss), so a bucket holds about one distinct time. The earlier half, so
   * far timers do not widen it; all of it, not the head alone, because a
   * fabric's events come in clusters of equal times (synchronized starts,
   * equal frames) whose spacing at the head says nothing. Events beyond the
   * new horizon move to the heap; the order of events does not change.
   */
  private resize(buckets: number): void {
    this.resizes++
    const ids = new Int32Array(this.calendarCount)
    let n = 0
    for (let a = this.baseAbs; n < ids.length; a++) {
      for (let id = this.heads[a & this.mask]!; id !== NONE; id = this.next[id]!) ids[n++] = id
    }
    // The times of every pending event, or an even sample of them (their quantiles are what matters).
    const heapIds = this.heap.heapArray
    // The calendar's own events when it has a fair number: the heap holds timers far ahead (RTO), whose
    // spacing would widen the buckets far past that of the events that are actually near.
    const total = n >= 64 ? n : n + heapIds.length
    const step = Math.max(1, Math.floor(total / WIDTH_SAMPLE))
    const times = new Float64Array(Math.ceil(total / step))
    let m = 0
    for (let i = 0; i < total; i += step) times[m++] = this.timePs[i < n ? ids[i]! : heapIds[i - n]!]!
    times.sort()
    const half = m >> 1
    if (half >= 1) {
      // Events in the earlier half of the sample stand for `step` events each.
      let spanPs = times[half]! - times[0]!
      let over = half * step
      // More than half at one time: the spread of the rest decides.
      if (spanPs === 0) {
        spanPs = times[m - 1]! - times[0]!
        over = total
      }
      if (spanPs > 0) {
        this.shift = Math.min(MAX_SHIFT, Math.max(MIN_SHIFT, Math.ceil(Math.log2(spanPs / over))))
        this.widthPs = 2 ** this.shift
        this.perWidthPs = 2 ** -this.shift
      }
    }
    // Enough buckets for the horizon to reach as far ahead as 95% of the events scheduled lately were:
    // a fabric's events come in clusters of equal times, so a width fitted to their spacing can be far
    // below the link delays, while the RTO timers far ahead are rare and better in the heap.
    const ahead = this.aheadLog2
    let scheduled = 0
    for (let k = 0; k < 64; k++) scheduled += ahead[k]!
    if (scheduled > 0) {
      let k = 0
      for (let seen = ahead[0]!; seen < 0.95 * scheduled; seen += ahead[k]!) k++
      const coverPs = k >= 63 ? 2 ** 40 : 2 ** k
      buckets = Math.min(MAX_BUCKETS, Math.max(buckets, 2 ** Math.ceil(Math.log2(coverPs / this.widthPs + 1))))
    }
    this.buckets = buckets
    this.mask = buckets - 1
    // Same size: reuse the arrays (a megabyte-sized calendar re-laid often would otherwise churn the heap).
    if (buckets === this.heads.length) {
      this.heads.fill(NONE)
      this.tails.fill(NONE)
      this.fingers.fill(NONE)
    } else {
      this.heads = new Int32Array(buckets).fill(NONE)
      this.tails = new Int32Array(buckets).fill(NONE)
      this.fingers = new Int32Array(buckets).fill(NONE)
    }
    this.baseAbs = Math.floor(this.nowPs / this.widthPs)
    this.headAbs = -1
    this.calendarCount = 0
    // In (time, seq) order, so every insert appends at its bucket's tail.
    for (let i = 0; i < n; i++) this.insert(ids[i]!)
  }

  private grow(): void {
    const cap = this.timePs.length * 2
    this.timePs = grown(this.timePs, cap)
    this.seqNo = grown(this.seqNo, cap)
    this.arg = grown(this.arg, cap)
    this.target = grown(this.target, cap)
    this.kind = grown(this.kind, cap)
    this.next = grown(this.next, cap)
  }
}
