import { clearProgressBars } from './progress-bar.ts'

/**
 * Ctrl-C (SIGINT) or SIGTERM (what a batch system sends at a job's time
 * limit) during `replay` or `compare` (and `--seeds`): rather than dying with
 * nothing written, the runs stop at their next slice (10 us of simulated time
 * or 2^20 events) and the command writes their partial reports (outcome
 * `interrupted`, exit 3), as it does at --max-sim-time-us; `--seeds` starts no
 * further run and summarizes the seeds that completed. Once the runs are
 * done, a signal lets the reports being written finish. A second signal
 * quits at once.
 *
 * The request is one word of shared memory, so runs on worker threads see it
 * too: a worker gets no signals, and its run never yields to its event loop.
 */
export class Interrupt {
  /** Nonzero once a stop was asked for: what each run's `stopRequested` reads. */
  readonly flag = new Int32Array(new SharedArrayBuffer(4))
  private writing = false
  private readonly onSignal = (signal: NodeJS.Signals) => {
    clearProgressBars()
    if (this.requested) process.exit(signal === 'SIGINT' ? 130 : 143)
    Atomics.store(this.flag, 0, 1)
    process.stderr.write(`\naifab: ${signal}: ${this.writing ? 'finishing the reports being written' : 'stopping the runs to write their partial reports'} (again to quit at once)\n`)
  }

  /** Whether a stop was asked for. */
  get requested(): boolean {
    return Atomics.load(this.flag, 0) !== 0
  }

  /** Catches SIGINT and SIGTERM until `uninstall`. */
  install(): this {
    process.on('SIGINT', this.onSignal)
    process.on('SIGTERM', this.onSignal)
    return this
  }

  /** The runs are done: a signal from now on only waits for the reports to be written. */
  runsDone(): void {
    this.writing = true
  }

  uninstall(): void {
    process.off('SIGINT', this.onSignal)
    process.off('SIGTERM', this.onSignal)
  }
}

/** A run's `stopRequested` over a flag shared with the main thread. */
export function stopRequestedBy(flag: Int32Array): () => boolean {
  return () => Atomics.load(flag, 0) !== 0
}
