// `npm run bench`: fixed scenarios, timed end to end in this process.
// Prints wall time, events/s, packet-hops/s (any frame crossing one link) and
// peak memory. Timing lives here, never in unit tests.
import { parseByteSize } from '@aifab/core'
import { genPermutation, genRingAllreduce, placementOf, type Trace } from '@aifab/workload'
import { loadProfile, loadTopology, type ProfileOverrides } from './load-config.ts'
import { topologyShape } from '@aifab/topology'
import { runScenario } from './run-scenario.ts'

interface Case {
  name: string
  topology: string
  profile: string
  overrides?: ProfileOverrides
  trace: (leaves: number, hostsPerLeaf: number) => Trace
}

const cases: Case[] = [
  {
    name: '128-host permutation, 2 MB flows, spray + reorder, 100G',
    topology: 'configs/topologies/leaf-spine-16x8x8-100g.json',
    profile: 'configs/profiles/ai-ethernet.json',
    overrides: { lb: 'spray' },
    trace: () => genPermutation({ ranks: 128, bytes: 2_000_000, seed: 1 }),
  },
  {
    name: '128-host permutation, 16 MB flows, spray + reorder, 100G',
    topology: 'configs/topologies/leaf-spine-16x8x8-100g.json',
    profile: 'configs/profiles/ai-ethernet.json',
    overrides: { lb: 'spray' },
    trace: () => genPermutation({ ranks: 128, bytes: 16_000_000, seed: 1 }),
  },
  {
    // The same with telemetry and PFC on: their cost shows against the case above.
    name: '128-host permutation, 16 MB flows, spray + reorder + INT + PFC, 100G',
    topology: 'configs/topologies/leaf-spine-16x8x8-100g.json',
    profile: 'configs/profiles/ai-ethernet.json',
    overrides: { lb: 'spray', int: '8,5', pfc: '131072,98304,32768' },
    trace: () => genPermutation({ ranks: 128, bytes: 16_000_000, seed: 1 }),
  },
  {
    // And with a congestion controller in the loop on every ACK: the hook's cost.
    name: '128-host permutation, 16 MB flows, spray + reorder + DCQCN, 100G',
    topology: 'configs/topologies/leaf-spine-16x8x8-100g.json',
    profile: 'configs/profiles/ai-ethernet.json',
    overrides: { lb: 'spray', cc: 'dcqcn' },
    trace: () => genPermutation({ ranks: 128, bytes: 16_000_000, seed: 1 }),
  },
  {
    // The speed issue's yardstick (htsim: 18.6 s, 140 MB on this kind of machine).
    name: '1024-host permutation, 2 MB flows, spray + reorder, k=16 fat tree, 100G',
    topology: 'configs/topologies/fat-tree-k16-100g.json',
    profile: 'configs/profiles/ai-ethernet.json',
    overrides: { lb: 'spray' },
    trace: () => genPermutation({ ranks: 1024, bytes: 2_000_000, seed: 1 }),
  },
  {
    name: '64-rank ring all-reduce, 64 MiB, roce (ecmp + go-back-n), 400G',
    topology: 'configs/topologies/leaf-spine-8x8x8-400g.json',
    profile: 'configs/profiles/roce.json',
    trace: (l, h) => genRingAllreduce({ ranks: 64, bytes: parseByteSize('64MiB'), placement: placementOf('interleave', 64, l, h) }),
  },
]

const only = process.argv[2]
for (const c of cases) {
  if (only !== undefined && !c.name.includes(only)) continue
  const topology = loadTopology(c.topology)
  const profile = loadProfile(c.profile, c.overrides ?? {}, topology)
  const shape = topologyShape(topology)
  const trace = c.trace(shape.edges, shape.hostsPerEdge)
  console.log(c.name)
  // Twice in one process: the first run pays for JIT compilation (what a user's
  // single run sees), the second shows the steady state.
  for (const label of ['cold', 'warm']) {
    const { report, wallSeconds } = runScenario({ trace, traceFile: `bench:${c.name}`, topology, profile, seed: 1 })
    const s = report.summary
    console.log(
      `  ${label}: wall ${wallSeconds.toFixed(2)} s, ${(s.events / wallSeconds / 1e6).toFixed(2)} M events/s, ` +
        `${(s.packetHops / wallSeconds / 1e6).toFixed(2)} M packet-hops/s (${s.packetHops} hops), ` +
        `efficiency ${s.efficiency === null ? '-' : (s.efficiency * 100).toFixed(1) + '%'}, outcome ${report.outcome}`,
    )
  }
}
// maxRSS is the kernel's high-water mark for the whole process, in KiB.
console.log(`peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`)
