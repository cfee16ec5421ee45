import { Heap } from 'heap-js'

/**
 * Anything that receives events. Events are data (target, kind, arg), never
 * closures, so scheduling allocates nothing and a run could be snapshotted.
 */
export interface EventTarget {
  onEvent(kind: number, arg: number): void
}

/**
 * Discrete-event scheduler: integer-picosecond clock, events ordered by
 * (timePs, seq) so equal times keep insertion order and runs are deterministic.
 * An event is a slot in typed arrays; heap-js orders slot ids. Components keep
 * the heap small by scheduling only the head of each FIFO (see link/).
 */
export class Scheduler {
  nowPs = 0
  /** Events executed so far. */
  executed = 0

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

  constructor(initialCapacity = 1024) {
    this.timePs = new Float64Array(initialCapacity)
    this.seqNo = new Float64Array(initialCapacity)
    this.target = new Int32Array(initialCapacity)
    this.kind = new Int32Array(initialCapacity)
    this.arg = new Float64Array(initialCapacity)
    this.next = new Int32Array(initialCapacity)
    this.heap = new Heap<number>((a, b) => this.timePs[a]! - this.timePs[b]! || this.seqNo[a]! - this.seqNo[b]!)
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
    this.timePs[id] = atPs < this.nowPs ? this.nowPs : atPs
    this.seqNo[id] = this.seq++
    this.target[id] = targetId
    this.kind[id] = kind
    this.arg[id] = arg
    // add(), not push(...): push takes rest arguments and builds an array per call.
    this.heap.add(id)
  }

  get pending(): number {
    return this.heap.length
  }

  /** Time of the next event, or Infinity when none is pending. */
  peekTimePs(): number {
    const id = this.heap.peek()
    return id === undefined ? Infinity : this.timePs[id]!
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
    while (heap.length > 0) {
      const id = heap.peek()!
      const t = this.timePs[id]!
      if (t > untilPs) return 'time-limit'
      if (budget-- <= 0) return 'event-limit'
      heap.pop()
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
