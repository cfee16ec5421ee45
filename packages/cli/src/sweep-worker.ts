// A sweep's worker thread: runs the points it is sent, one at a time, and
// says how each went (see worker-pool.ts for the protocol). Built into
// dist/sweep-worker.mjs beside the CLI bundle; from the sources it starts
// through sweep-worker-tsx.mjs.
import { parentPort, workerData } from 'node:worker_threads'
import type { GridPoint } from './sweep-grid.ts'
import { PointLoader, runPoint, type PointOutcome, type SweepSetup } from './sweep-point.ts'
import type { WorkerMessage } from './worker-pool.ts'

const port = parentPort!
const loader = new PointLoader(workerData as SweepSetup)
const reply = (m: WorkerMessage<PointOutcome>) => port.postMessage(m)

port.on('message', (p: GridPoint) => {
  runPoint(p, loader).then(
    (result) => reply({ result }),
    // One line: the point is recorded as failed, the worker goes on with the next.
    (e: unknown) => reply({ error: (e instanceof Error ? e.message : String(e)).split('\n')[0]! }),
  )
})
reply({ ready: true })
