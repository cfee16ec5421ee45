import { existsSync } from 'node:fs'
import { availableParallelism } from 'node:os'
import { fileURLToPath } from 'node:url'
import type { Worker } from 'node:worker_threads'
import type { ProgressCounts } from './progress-bar.ts'

/** An InputError's parts, as a worker sends them back: the main thread raises it again (exit 2, not 1). */
export interface InputErrorParts {
  source: string
  path: string
  expected: string
}

/** What a worker says: that it is ready for jobs, how far the job it was given is, or that job's result. */
export type WorkerMessage<R> =
  | { ready: true }
  | { ready?: false; progress: ProgressCounts }
  | { ready?: false; result: R }
  | { ready?: false; error: string; input?: InputErrorParts }

/** runOnWorkers' optional hooks. */
export interface WorkerPoolOptions<J> {
  /** Whether the worker that ran `job` must exit (a fresh one takes its place). */
  retireAfter?: (job: J) => boolean
  /** Told of each `{ progress }` message, with the job it belongs to. */
  progress?: (job: J, counts: ProgressCounts) => void
  /** Asked before each job is handed out: false starts no further job (a stop, such as Ctrl-C), the jobs under way still end. */
  canStart?: () => boolean
}

/**
 * Runs jobs on a pool of worker threads: each job goes to the next free
 * worker, in the order given. `done` gets every job's result, or an error
 * when the job threw or its worker died (a dead worker is replaced while jobs
 * remain); when it returns false, no further job is started. A worker that
 * ran a job for which `retireAfter` says so exits and a fresh one takes its
 * place: what that job loaded (a controller module and the state it keeps)
 * never meets another job. Resolves when every job started is done and every
 * worker has exited. A worker posts `{ ready: true }` once it listens, then
 * for each job any number of `{ progress }` messages (passed to `progress`)
 * and one message with its result or error.
 */
export function runOnWorkers<J, R>(
  jobs: readonly J[],
  workers: number,
  spawn: () => Worker,
  done: (job: J, outcome: { result: R } | { error: string; input?: InputErrorParts }) => boolean | void,
  more: WorkerPoolOptions<J> = {},
): Promise<void> {
  const retireAfter = more.retireAfter ?? (() => false)
  const progress = more.progress ?? (() => {})
  const canStart = more.canStart ?? (() => true)
  return new Promise((resolve) => {
    let next = 0
    let finished = 0
    let stopped = false
    let alive = 0
    const settle = () => {
      if (alive === 0 && (stopped || finished === jobs.length)) resolve()
    }
    // Whether another job may go out: not after done said no, nor once canStart does (which stops the rest for good).
    const mayStart = () => {
      if (!stopped && !canStart()) stopped = true
      return !stopped
    }
    const start = () => {
      alive++
      const w = spawn()
      let current: J | null = null
      let lastError: string | null = null
      let retiring = false
      const dispatch = () => {
        if (next >= jobs.length || !mayStart()) {
          retiring = true
          void w.terminate()
          return
        }
        current = jobs[next++]!
        w.postMessage(current)
      }
      const finish = (outcome: { result: R } | { error: string; input?: InputErrorParts }) => {
        const job = current!
        current = null
        finished++
        if (done(job, outcome) === false) stopped = true
        return job
      }
      w.on('message', (m: WorkerMessage<R>) => {
        if (m.ready === true) return dispatch()
        if ('progress' in m) {
          if (current !== null) progress(current, m.progress)
          return
        }
        const job = finish('error' in m ? { error: m.error, ...(m.input !== undefined ? { input: m.input } : {}) } : { result: m.result })
        if (!retireAfter(job)) return dispatch()
        retiring = true
        void w.terminate()
        if (next < jobs.length && mayStart()) start()
      })
      // An exception the worker did not catch ends it; 'exit' follows.
      w.on('error', (e: Error) => {
        lastError = (e?.message ?? String(e)).split('\n')[0]!
      })
      w.on('exit', (code) => {
        alive--
        if (!retiring) {
          // Died with a job: that job fails. Died before taking one (it could not start): the next job fails, so a worker that can never start cannot loop forever.
          if (current === null && next < jobs.length && mayStart()) current = jobs[next++]!
          if (current !== null) finish({ error: `worker thread died: ${lastError ?? `exit code ${code}`}` })
          if (next < jobs.length && mayStart()) start()
        }
        settle()
      })
    }
    for (let i = 0; i < Math.min(workers, jobs.length) && mayStart(); i++) start()
    settle()
  })
}

/**
 * The worker thread's entry: dist/worker-thread.mjs beside the bundle, or from
 * the sources a bootstrap that registers tsx in the worker first.
 */
export function workerEntry(): URL {
  const fromSources = import.meta.url.endsWith('.ts')
  const url = new URL(fromSources ? './worker-thread-tsx.mjs' : './worker-thread.mjs', import.meta.url)
  if (!existsSync(fileURLToPath(url))) throw new Error(`the worker thread ${fileURLToPath(url)} is missing; run npm run build`)
  return url
}

/** A warning line when `workers` threads would share fewer cores (allowed: they take turns). */
export function warnIfMoreThanCores(workers: number): void {
  const cores = availableParallelism()
  if (workers > cores) process.stderr.write(`aifab: warning: --workers ${workers} is more than the ${cores} cores here; the workers will share them\n`)
}
