// The CLI's worker thread: runs the jobs it is sent, one at a time, and says
// how each went (see worker-pool.ts for the protocol): a sweep's points
// (workerData: the sweep's setup) or the runs of compare and --seeds
// (workerData: null). Built into dist/worker-thread.mjs beside the CLI bundle;
// from the sources it starts through worker-thread-tsx.mjs.
import { parentPort, workerData } from 'node:worker_threads'
import { InputError } from '@aifab/core'
import type { GridPoint } from './sweep-grid.ts'
import { PointLoader, runPoint, type SweepSetup } from './sweep-point.ts'
import { runJob, type RunJob } from './run-job.ts'
import type { WorkerMessage } from './worker-pool.ts'

/** What a worker is sent. */
export type WorkerJob = { kind: 'point'; point: GridPoint } | { kind: 'run'; job: RunJob }

const port = parentPort!
const setup = workerData as SweepSetup | null
const loader = setup === null ? null : new PointLoader(setup)
const reply = (m: WorkerMessage<unknown>) => port.postMessage(m)

/** Progress for the main thread's bar, at most 10 messages a second (a run's slices can come far faster). */
let lastProgressMs = 0
const progress = (completed: number, total: number, simPs: number, events: number) => {
  const now = performance.now()
  if (now - lastProgressMs < 100) return
  lastProgressMs = now
  reply({ progress: [completed, total, simPs, events] })
}

port.on('message', (m: WorkerJob) => {
  const work: Promise<unknown> = m.kind === 'point' ? runPoint(m.point, loader!) : runJob(m.job, progress)
  work.then(
    (result) => reply({ result }),
    // One line: the job is recorded as failed, the worker goes on with the next. Bad input keeps its kind (exit 2).
    (e: unknown) =>
      reply({ error: (e instanceof Error ? e.message : String(e)).split('\n')[0]!, ...(e instanceof InputError ? { input: { source: e.source, path: e.path, expected: e.expected } } : {}) }),
  )
})
reply({ ready: true })
