import { Worker } from 'node:worker_threads'
import { describe, expect, it } from 'vitest'
import { runOnWorkers } from './worker-pool.ts'

/** A worker from source text: job n doubles n; 13 throws (caught, reported); 66 kills its thread; 99 throws uncaught. */
const source = `
const { parentPort, threadId } = require('node:worker_threads')
parentPort.on('message', (n) => {
  if (n === 13) return parentPort.postMessage({ error: 'unlucky' })
  if (n === 66) process.exit(7)
  if (n === 99) setTimeout(() => { throw new Error('uncaught 99') })
  else if (n >= 100) {
    // Progress first: 1, then 2 of n - 100 steps.
    parentPort.postMessage({ progress: [1, n - 100, 0, 0] })
    parentPort.postMessage({ progress: [2, n - 100, 0, 0] })
    setTimeout(() => parentPort.postMessage({ result: { n, twice: 2 * n, threadId } }), 5)
  } else setTimeout(() => parentPort.postMessage({ result: { n, twice: 2 * n, threadId } }), 10 + (n % 3))
})
parentPort.postMessage({ ready: true })
`
const spawn = () => new Worker(source, { eval: true })

async function run(jobs: number[], workers: number) {
  const seen: [number, unknown][] = []
  await runOnWorkers<number, { n: number; twice: number; threadId: number }>(jobs, workers, spawn, (job, o) => {
    seen.push([job, 'result' in o ? o.result.twice : o.error])
  })
  return seen
}

describe('worker pool', () => {
  it('runs every job once, on every worker, and resolves once all are done', async () => {
    const threads = new Set<number>()
    const seen = new Map<number, number>()
    await runOnWorkers<number, { n: number; twice: number; threadId: number }>(Array.from({ length: 20 }, (_, i) => 2 * i), 3, spawn, (job, o) => {
      if (!('result' in o)) throw new Error(o.error)
      expect(o.result.n).toBe(job)
      seen.set(job, o.result.twice)
      threads.add(o.result.threadId)
    })
    expect([...seen.keys()].sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => 2 * i))
    expect(seen.get(14)).toBe(28)
    // Jobs of 10 ms: the other workers are up and take their share long before the first could run them all.
    expect(threads.size).toBeGreaterThan(1)
    expect(await run([], 2)).toEqual([])
  })

  it('a job that fails, or kills its worker, is reported as an error and the others still run', async () => {
    const seen = new Map(await run([1, 13, 2, 66, 3, 99, 4, 5], 2))
    expect(seen.get(13)).toBe('unlucky')
    expect(seen.get(66)).toBe('worker thread died: exit code 7')
    expect(seen.get(99)).toBe('worker thread died: uncaught 99')
    for (const n of [1, 2, 3, 4, 5]) expect(seen.get(n)).toBe(2 * n)
    expect(seen.size).toBe(8)
  })

  it('passes each progress message on with the job it belongs to, before that job is done', async () => {
    const events: string[] = []
    await runOnWorkers<number, { twice: number }>(
      [103, 104, 105],
      2,
      spawn,
      (job, o) => void events.push(`${job} done ${'result' in o ? o.result.twice : o.error}`),
      { progress: (job, [completed, total]) => void events.push(`${job} ${completed}/${total}`) },
    )
    for (const n of [103, 104, 105]) {
      const mine = events.filter((e) => e.startsWith(`${n} `))
      expect(mine).toEqual([`${n} 1/${n - 100}`, `${n} 2/${n - 100}`, `${n} done ${2 * n}`])
    }
  })

  it('starts no further job once done says stop; the jobs under way still finish', async () => {
    const seen: number[] = []
    await runOnWorkers<number, { twice: number }>([1, 2, 3, 4, 5, 6], 1, spawn, (job) => {
      seen.push(job)
      return job < 2
    })
    expect(seen).toEqual([1, 2])
  })
  it('once canStart says no, no job goes out, not even to a worker that becomes ready or replaces a retired one', async () => {
    for (const [workers, retire] of [[1, false], [1, true], [3, false], [3, true]] as const) {
      let open = true
      const seen: number[] = []
      await runOnWorkers<number, unknown>(
        [1, 2, 3, 4, 5, 6, 7],
        workers,
        spawn,
        (job) => {
          seen.push(job)
          // The stop comes as the second job ends.
          if (seen.length === 2) open = false
        },
        { canStart: () => open, retireAfter: () => retire },
      )
      // The jobs out when the stop came end; none after. With one worker that is two; with three, at most four.
      expect(seen.length, `${workers} workers, retire ${retire}`).toBeLessThanOrEqual(workers === 1 ? 2 : 4)
      expect(new Set(seen).size).toBe(seen.length)
    }
    // A stop before anything starts: nothing runs, and the pool still resolves.
    const none: number[] = []
    await runOnWorkers<number, unknown>([1, 2, 3], 2, spawn, (job) => void none.push(job), { canStart: () => false })
    expect(none).toEqual([])
    // A stop between a worker's start and its ready message: it gets no job.
    let open = true
    const late: number[] = []
    const spawnThenStop = () => {
      const w = spawn()
      open = false
      return w
    }
    await runOnWorkers<number, unknown>([1, 2, 3], 1, spawnThenStop, (job) => void late.push(job), { canStart: () => open })
    expect(late).toEqual([])
  })

  it('a worker that ran a job retireAfter names is replaced: the next job meets a fresh thread', async () => {
    const threadOf = new Map<number, number>()
    // Odd jobs retire their worker; one worker, so the jobs run in order.
    await runOnWorkers<number, { threadId: number }>(
      [2, 3, 4, 5, 6, 8],
      1,
      spawn,
      (job, o) => {
        if ('result' in o) threadOf.set(job, o.result.threadId)
      },
      { retireAfter: (job) => job % 2 === 1 },
    )
    expect(threadOf.get(2)).toBe(threadOf.get(3))
    expect(threadOf.get(4)).not.toBe(threadOf.get(3))
    expect(threadOf.get(4)).toBe(threadOf.get(5))
    expect(threadOf.get(6)).not.toBe(threadOf.get(5))
    expect(threadOf.get(8)).toBe(threadOf.get(6))
  })

  it('a worker that cannot start fails the jobs one by one instead of respawning forever', async () => {
    const seen: [number, string][] = []
    await runOnWorkers<number, unknown>([1, 2, 3], 2, () => new Worker('throw new Error("cannot start")', { eval: true }), (job, o) => {
      seen.push([job, 'error' in o ? o.error : 'ran'])
    })
    expect(seen.sort()).toEqual([
      [1, 'worker thread died: cannot start'],
      [2, 'worker thread died: cannot start'],
      [3, 'worker thread died: cannot start'],
    ])
  })
})
