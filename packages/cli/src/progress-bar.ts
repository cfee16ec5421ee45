import cliProgress from 'cli-progress'
import { fmtTime } from '@aifab/report'

/** The bars on screen: a signal's message or exit clears them first (see clearProgressBars). */
const drawn = new Set<ProgressBar>()
let silenced = false

/** Clears every bar on screen, giving the terminal back its cursor and line wrapping, and draws none after (a signal's lines stay readable). */
export function clearProgressBars(): void {
  silenced = true
  for (const bar of drawn) bar.stop()
}

/**
 * A progress bar on stderr for a run that lasts more than a second, when
 * stderr is a terminal: ops done of the trace's ops, simulated time, events/s
 * and the ETA. Fed by the replay's progress calls (or, for runs on worker
 * threads, by the sum of theirs); redrawn at most 10 times a second.
 */
export class ProgressBar {
  private bar: cliProgress.SingleBar | null = null
  private readonly startMs = performance.now()
  private lastMs = 0

  /** `newlineFirst`: the bar starts on a line of its own below a line left open (`aifab: running ... `). */
  constructor(private readonly newlineFirst = true) {}

  static wanted(quiet: boolean): boolean {
    return !quiet && process.stderr.isTTY === true
  }

  update(completed: number, total: number, simPs: number, events: number): void {
    const now = performance.now()
    if (silenced || now - this.startMs < 1000 || now - this.lastMs < 100) return
    this.lastMs = now
    const payload = { sim: fmtTime(simPs), rate: `${((events / (now - this.startMs)) * 1e-3).toFixed(2)} M events/s` }
    if (this.bar === null) {
      this.bar = new cliProgress.SingleBar(
        { stream: process.stderr, format: '  {bar} {value}/{total} ops | simulated {sim} | {rate} | ETA {eta_formatted}', hideCursor: true, clearOnComplete: true },
        cliProgress.Presets.shades_classic,
      )
      if (this.newlineFirst) process.stderr.write('\n')
      this.bar.start(total, completed, payload)
      drawn.add(this)
    } else {
      this.bar.update(completed, payload)
    }
  }

  /** Clears the bar; the next update draws it again (a line can be printed in between). */
  stop(): void {
    this.bar?.stop()
    this.bar = null
    drawn.delete(this)
  }
}

/** A run's progress: ops completed, ops in all, simulated time (ps), events. */
export type ProgressCounts = [completed: number, total: number, simPs: number, events: number]

/**
 * One bar for runs on worker threads: their ops summed (a run that ended
 * counts whole: it has nothing more to show), their events summed, and the
 * simulated time of the run furthest behind.
 */
export class SummedProgressBar {
  private readonly bar = new ProgressBar(false)
  private readonly live = new Map<number, ProgressCounts>()
  private endedOps = 0
  private endedEvents = 0

  constructor(private readonly totalOps: number) {}

  update(run: number, counts: ProgressCounts): void {
    this.live.set(run, counts)
    let completed = this.endedOps
    let events = this.endedEvents
    let simPs = Infinity
    for (const [c, , t, e] of this.live.values()) {
      completed += c
      events += e
      simPs = Math.min(simPs, t)
    }
    this.bar.update(completed, this.totalOps, simPs, events)
  }

  /** Run `run` of `ops` ops ended after `events` events (or as far as it last said): the bar gives way to the line its end prints, and comes back with the next progress. */
  ended(run: number, ops: number, events?: number): void {
    this.bar.stop()
    this.endedEvents += events ?? this.live.get(run)?.[3] ?? 0
    this.endedOps += ops
    this.live.delete(run)
  }

  stop(): void {
    this.bar.stop()
  }
}
