import { genPermutation, replay } from '@aifab/workload'
import { buildFabric } from '@aifab/topology'
import { loadProfile, loadTopology } from '../packages/cli/src/load-config.ts'
const [topo, ranks, bytes] = [process.argv[2]!, +process.argv[3]!, +process.argv[4]!]
const topology = loadTopology(topo)
const profile = loadProfile('configs/profiles/ai-ethernet.json', { lb: 'spray' }, topology)
const trace = genPermutation({ ranks, bytes, seed: 1 })
const fabric = buildFabric(topology, profile, 1)
const orig = (fabric.sched as any).resize.bind(fabric.sched)
const log: string[] = []
;(fabric.sched as any).resize = (b: number) => { orig(b); const s: any = fabric.sched; if (log.length < 40) log.push(`${s.nowPs} b=${s.buckets} sh=${s.shift} pend=${s.calendarCount}+${s.heap.length}`) }
replay(fabric, trace, 'x')
const s: any = fabric.sched
console.log('events', s.executed, 'resizes', s.resizes, 'heapScheduled', s.heapScheduled, 'walk', s.insertWalkSteps, 'skipped', s.skipped, 'buckets', s.buckets, 'shift', s.shift)
console.log(log.join('\n'))
