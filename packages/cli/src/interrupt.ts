/**
 * Ctrl-C (SIGINT) or SIGTERM (what a batch system sends at a job's time
 * limit) during `replay`, `compare` or `--seeds`: rather than dying with
 * nothing written, the runs under way stop at their next slice (10 us of
 * simulated time or 2^20 events), and the command writes what it has:
 * `replay` and `compare` their partial reports (outcome `interrupted`, exit
 * 3), as at --max-sim-time-us; `--seeds` starts no further run and
 * summarizes the seeds that completed. A second signal quits at once. The
 * files are written synchronously once the runs are done, so a signal then
 * is only heard after them, and cuts none of them short; `--json` output,
 * streamed after them to a reader that may be slow, is not covered.
 *
 * The request is one word of shared memory, so runs on worker threads see it
 * too: a worker gets no signals, and its run never yields to its event loop.
 */
export class Interrupt {
  /** Nonzero once a stop was asked for: what each run's `stopRequested` reads. */
  readonly flag = new Int32Array(new SharedArrayBuffer(4))
  /** Whether a stop was asked for. */
  readonly requested = stopRequestedBy(this.flag)
  private readonly onSignal = (signal: NodeJS.Signals) => {
    this.clearScreen()
    if (this.requested()) process.exit(signal === 'SIGINT' ? 130 : 143)
    Atomics.store(this.flag, 0, 1)
    process.stderr.write(`\naifab: ${signal}: ${this.stopping} (again to quit at once)\n`)
  }

  /**
   * `stopping`: what the command does on a first signal (for its message);
   * `clearScreen`: clears what the command draws on the terminal (progress bars) before a signal's line.
   */
  constructor(
    private readonly stopping: string,
    private readonly clearScreen: () => void = () => {},
  ) {}

  /** Catches SIGINT and SIGTERM until `uninstall`. */
  install(): this {
    process.on('SIGINT', this.onSignal)
    process.on('SIGTERM', this.onSignal)
    return this
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
