import cliProgress from 'cli-progress'
import { fmtTime } from '@aifab/report'

/**
 * A progress bar on stderr for a run that lasts more than a second, when
 * stderr is a terminal: ops done of the trace's ops, simulated time, events/s
 * and the ETA. Fed by the replay's progress calls (or, for runs on worker
 * threads, by the sum of theirs); redrawn at most 10 times a second.
 */
/** The bars on screen: a signal's message or exit clears them first (see clearProgressBars). */
const drawn = new Set<ProgressBar>()
let silenced = false

/** Clears every bar on screen, giving the terminal back its cursor and line wrapping, and draws none after (a signal's lines stay readable). */
export function clearProgressBars(): void {
  silenced = true
  for (const bar of drawn) bar.stop()
}

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
