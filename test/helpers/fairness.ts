import type { Fabric } from '@aifab/topology'

/**
 * Samples, at the given times, how many packets each queue pair's receiver has
 * taken in order (rcvNxt): throughput per flow over any interval between samples.
 */
export function samplePackets(fabric: Fabric, timesPs: number[]): number[][] {
  const out: number[][] = []
  const id = fabric.sched.register({
    onEvent: () => {
      out.push(fabric.qps.map((q) => q.rcvNxt))
    },
  })
  for (const t of timesPs) fabric.sched.schedule(t, id, 0, 0)
  return out
}

/** Jain's fairness index of a set of throughputs: 1 when all equal, 1/n when one takes all. */
export function jain(xs: number[]): number {
  const sum = xs.reduce((a, b) => a + b, 0)
  const sq = xs.reduce((a, b) => a + b * b, 0)
  return sq > 0 ? (sum * sum) / (xs.length * sq) : 0
}
