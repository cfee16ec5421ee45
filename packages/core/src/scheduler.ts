import { Heap } from 'heap-js'

/**
 * Anything that receives events. Events are data (target, kind, arg), never
 * closures, so scheduling allocates nothing and a run could be snapshotted.
 */
export interface EventTarget {
  onEvent(kind: number, arg: number): void
}

/** Calendar bucket width: 2^17 ps (131 ns, about a 4 KB frame at 250 Gb/s). */
const BUCKET_SHIFT = 17
const BUCKET_WIDTH_PS = 2 ** BUCKET_SHIFT
/** Buckets in the calendar: events up to 4096 x 131 ns = 537 us ahead go there, later ones to the heap. */
const BUCKETS = 4096
const MASK = BUCKETS - 1

/**
 * Discrete-event scheduler: integer-picosecond clock, events ordered by
 * (timePs, seq) so equal times keep insertion order and runs are deterministic.
 * An event is a slot in typed arrays. Two levels hold the slot ids: a calendar
 * of fixed-width time buckets for the near future (transmissions, link
 * arrivals: nearly every event), each bucket sorted by (time, seq) when it is
 * reached, and heap-js for events beyond the calendar's horizon (timers,
 * faults, trace ops starting later). The next event is the earlier of the two
 * heads, so the order is exactly the single heap's. Components keep the
 * structures small by scheduling only the head of each FIFO (see link/).
 */
export class Scheduler {
  nowPs = 0
  /** Events executed so far. */
  executed = 0
  /** Events that went to the heap (beyond the calendar's horizon), for speed work. */
  heapScheduled = 0

  private timePs: Float64Array
  private seqNo: Float64Array
  private target: Int32Array
  private kind: Int32Array
  private arg: Float64Array
  private next: Int32Array
  private freeHead = -1
  private highWater = 0
  private seq = 0
  private readonly heap: Heap<number>
  private readonly targets: EventTarget[] = []
  private stopped = false

  // The calendar. Bucket b holds the events of absolute bucket numbers congruent to b;
  // only [baseAbs, baseAbs + BUCKETS) is in use, so each bucket holds one lap's events.
  private readonly buckets: number[][] = Array.from({ length: BUCKETS }, () => [])
  /** Read position in each bucket, and whether the bucket is sorted (it is from when it is first read). */
  private readonly readPos = new Int32Array(BUCKETS)
  private readonly sorted = new Uint8Array(BUCKETS)
  /**
   * The earliest bucket that may hold events. It never passes the current
   * time's bucket, so no event can be scheduled behind it (a heap event may
   * run before the calendar's head and schedule into any bucket from now on).
   */
  private baseAbs = 0
  /** The bucket holding the calendar's earliest event, or -1 when not known. */
  private headAbs = -1
  private calendarCount = 0
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
    if (id !== -1) {
      this.freeHead = this.next[id]!
    } else {
      if (this.highWater === this.timePs.length) this.grow()
      id = this.highWater++
    }
    const t = atPs < this.nowPs ? this.nowPs : atPs
    this.timePs[id] = t
    this.seqNo[id] = this.seq++
    this.target[id] = targetId
    this.kind[id] = kind
    this.arg[id] = arg
    // An empty calendar restarts at the current time: after a quiet gap longer than its horizon
    // (compute ops, late trace starts) it would otherwise send every event to the heap.
    if (this.calendarCount === 0) this.rebase()
    const abs = Math.floor(t / BUCKET_WIDTH_PS)
    if (abs - this.baseAbs >= BUCKETS) {
      this.heapScheduled++
      // add(), not push(...): push takes rest arguments and builds an array per call.
      this.heap.add(id)
      return
    }
    const b = abs & MASK
    const bucket = this.buckets[b]!
    if (this.sorted[b] === 1) {
      // A bucket being read stays sorted: the newest event goes after every one of its time or earlier.
      let lo = this.readPos[b]!
      let hi = bucket.length
      while (lo < hi) {
        const mid = (lo + hi) >>> 1
        if (this.timePs[bucket[mid]!]! <= t) lo = mid + 1
        else hi = mid
      }
      // Shift the later ones up one place by hand: splice would allocate its result on this hot path.
      bucket.push(id)
      for (let i = bucket.length - 1; i > lo; i--) bucket[i] = bucket[i - 1]!
      bucket[lo] = id
    } else {
      bucket.push(id)
    }
    this.calendarCount++
    if (abs < this.headAbs) this.headAbs = abs
  }

  /** Moves the empty calendar's start to the current time's bucket, emptying the buckets it read on the way. */
  private rebase(): void {
    const nowAbs = Math.floor(this.nowPs / BUCKET_WIDTH_PS)
    if (nowAbs <= this.baseAbs) return
    const end = Math.min(nowAbs, this.baseAbs + BUCKETS)
    for (let a = this.baseAbs; a < end; a++) {
      const b = a & MASK
      this.buckets[b]!.length = 0
      this.readPos[b] = 0
      this.sorted[b] = 0
    }
    this.baseAbs = nowAbs
    this.headAbs = -1
  }

  get pending(): number {
    return this.heap.length + this.calendarCount
  }

  /** Time of the next event, or Infinity when none is pending. */
  peekTimePs(): number {
    const c = this.calendarHead()
    const h = this.heap.peek()
    if (c === -1) return h === undefined ? Infinity : this.timePs[h]!
    return h === undefined ? this.timePs[c]! : Math.min(this.timePs[c]!, this.timePs[h]!)
  }

  /**
   * The calendar's earliest event, or -1. Empties the buckets it has read up
   * to the current time's, then finds the first bucket with unread events
   * (remembered in headAbs until it is read out or an earlier bucket gets an
   * event), sorting it by (time, seq) when it is first reached.
   */
  private calendarHead(): number {
    if (this.calendarCount === 0) return -1
    let h = this.headAbs
    if (h === -1 || this.readPos[h & MASK]! >= this.buckets[h & MASK]!.length) {
      const nowAbs = Math.floor(this.nowPs / BUCKET_WIDTH_PS)
      while (this.baseAbs < nowAbs) {
        const b = this.baseAbs & MASK
        if (this.readPos[b]! < this.buckets[b]!.length) break
        this.buckets[b]!.length = 0
        this.readPos[b] = 0
        this.sorted[b] = 0
        this.baseAbs++
      }
      h = this.baseAbs
      while (this.readPos[h & MASK]! >= this.buckets[h & MASK]!.length) h++
      this.headAbs = h
    }
    const b = h & MASK
    const bucket = this.buckets[b]!
    if (this.sorted[b] === 0) {
      if (bucket.length - this.readPos[b]! > 1) bucket.sort(this.byTimeSeq)
      this.sorted[b] = 1
    }
    return bucket[this.readPos[b]!]!
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
      const h = heap.length > 0 ? heap.peek()! : -1
      if (c === -1 && h === -1) break
      const fromHeap = c === -1 || (h !== -1 && this.byTimeSeq(h, c) < 0)
      const id = fromHeap ? h : c
      const t = this.timePs[id]!
      if (t > untilPs) return 'time-limit'
      if (budget-- <= 0) return 'event-limit'
      if (fromHeap) {
        heap.pop()
      } else {
        this.readPos[this.headAbs & MASK]!++
        this.calendarCount--
      }
      this.nowPs = t
      const tgt = this.target[id]!
      const k = this.kind[id]!
      const a = this.arg[id]!
      this.next[id] = this.freeHead
      this.freeHead = id
      this.executed++
      targets[tgt]!.onEvent(k, a)
      if (this.stopped) return 'stopped'
    }
    return 'idle'
  }

  private grow(): void {
    const cap = this.timePs.length * 2
    const f64 = (a: Float64Array) => {
      const b = new Float64Array(cap)
      b.set(a)
      return b
    }
    const i32 = (a: Int32Array) => {
      const b = new Int32Array(cap)
      b.set(a)
      return b
    }
    this.timePs = f64(this.timePs)
    this.seqNo = f64(this.seqNo)
    this.arg = f64(this.arg)
    this.target = i32(this.target)
    this.kind = i32(this.kind)
    this.next = i32(this.next)
  }
}
