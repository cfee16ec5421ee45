import type { JobInfo, Trace, TraceOp } from './trace.ts'

/**
 * Several traces as jobs of one trace on one fabric. Ranks become hosts (each
 * job's placement, or rank i on host i), so jobs placed on the same hosts share
 * their links; the mix's rank r runs on host r, and its ranks reach the
 * highest host any job's ranks hold. Op ids are renumbered in job
 * order with their dependencies, and each job's channels are shifted past the
 * previous jobs' so no two jobs share a queue pair.
 */
export function mixTraces(traces: { trace: Trace; name: string }[]): Trace {
  if (traces.length < 2) throw new RangeError('a mix needs at least two traces')
  const ops: TraceOp[] = []
  const jobs: JobInfo[] = []
  let channelBase = 0
  let hosts = 0
  traces.forEach(({ trace, name }, j) => {
    if (trace.jobs) throw new RangeError(`${name} is already a mix; mix its parts instead`)
    const host = (r: number) => trace.placement?.[r] ?? r
    const idOf = new Map<number, number>()
    trace.ops.forEach((op) => idOf.set(op.id, ops.length + idOf.size))
    let maxChannel = 0
    for (const op of trace.ops) {
      const m: TraceOp = { ...op, id: idOf.get(op.id)!, src: host(op.src), dst: host(op.dst), deps: op.deps.map((d) => idOf.get(d)!), job: j }
      if (op.kind !== 'compute') {
        m.channel = channelBase + (op.channel ?? 0)
        maxChannel = Math.max(maxChannel, op.channel ?? 0)
      }
      ops.push(m)
    }
    // Every rank the job declares holds its host, whether or not an op uses it (an htsim .cm declares its node count).
    for (let r = 0; r < trace.ranks; r++) hosts = Math.max(hosts, host(r) + 1)
    channelBase += maxChannel + 1
    // Two traces of one name (the same generator options) are told apart by their file names.
    const job: JobInfo = { name: traces.some((t, k) => k !== j && t.trace.name === trace.name) ? `${trace.name} (${name})` : trace.name, ranks: trace.ranks }
    if (trace.collective) job.collective = trace.collective
    jobs.push(job)
  })
  return { format: 'aifab.trace', version: 1, name: `mix-${jobs.map((j) => j.name).join('+')}`, ranks: Math.max(2, hosts), jobs, ops }
}
