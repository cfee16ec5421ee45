// `npm run bench`: fixed scenarios, timed end to end in this process.
// Prints wall time, events/s, packet-hops/s (any frame crossing one link) and
// peak memory. Timing lives here, never in unit tests.
import { parseByteSize } from '@aifab/core'
import { genPermutation, genRingAllreduce, placementOf, type Trace } from '@aifab/workload'
import { loadProfile, loadTopology } from './load-config.ts'
import { runScenario } from './run-scenario.ts'

interface Case {
  name: string
  topology: string
  profile: string
  trace: (leaves: number, hostsPerLeaf: number) => Trace
}

const cases: Case[] = [
  {
    name: '128-host permutation, 2 MB flows, spray + reorder, 100G',
    topology: 'configs/topologies/leaf-spine-16x8x8-100g.json',
    profile: 'configs/profiles/ai-ethernet.json',
    trace: () => genPermutation({ ranks: 128, bytes: 2_000_000, seed: 1 }),
  },
  {
    name: '128-host permutation, 16 MB flows, spray + reorder, 100G',
    topology: 'configs/topologies/leaf-spine-16x8x8-100g.json',
    profile: 'configs/profiles/ai-ethernet.json',
    trace: () => genPermutation({ ranks: 128, bytes: 16_000_000, seed: 1 }),
  },
  {
    name: '64-rank ring all-reduce, 64 MiB, roce (ecmp + go-back-n), 400G',
    topology: 'configs/topologies/leaf-spine-8x8x8-400g.json',
    profile: 'configs/profiles/roce.json',
    trace: (l, h) => genRingAllreduce({ ranks: 64, bytes: parseByteSize('64MiB'), placement: placementOf('interleave', 64, l, h) }),
  },
]

const only = process.argv[2]
let peakRss = 0
const timer = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage.rss())), 20)
for (const c of cases) {
  if (only !== undefined && !c.name.includes(only)) continue
  const topology = loadTopology(c.topology)
  const profile = loadProfile(c.profile, c.name.includes('spray') ? { lb: 'spray' } : {}, topology)
  const trace = c.trace(topology.leaves, topology.hostsPerLeaf)
  const { report, wallSeconds } = runScenario({ trace, traceFile: `bench:${c.name}`, topology, profile, seed: 1 })
  peakRss = Math.max(peakRss, process.memoryUsage.rss())
  const s = report.summary
  console.log(
    `${c.name}\n  wall ${wallSeconds.toFixed(2)} s, ${(s.events / wallSeconds / 1e6).toFixed(2)} M events/s, ` +
      `${(s.packetHops / wallSeconds / 1e6).toFixed(2)} M packet-hops/s (${s.packetHops} hops), ` +
      `efficiency ${s.efficiency === null ? '-' : (s.efficiency * 100).toFixed(1) + '%'}, outcome ${report.outcome}`,
  )
}
clearInterval(timer)
console.log(`peak RSS ${(peakRss / 2 ** 20).toFixed(0)} MiB`)
