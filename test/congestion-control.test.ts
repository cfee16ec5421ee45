// Congestion control in real runs: fairness and utilization on a shared
// bottleneck, queues under incast, DCQCN's feedback loop, user modules,
// determinism, and broken modules stopping the run cleanly.
import { pathToFileURL } from 'node:url'
import { BUILTIN_CC, type CcDefinition } from '@aifab/nic'
import { buildFabric, type FabricProfile } from '@aifab/topology'
import { replay, type Trace } from '@aifab/workload'
import { describe, expect, it } from 'vitest'
import { jain, samplePackets } from './helpers/fairness.ts'
import { flowsTrace, leafSpine, profile, simulate } from './helpers/scenario.ts'

// One leaf at 100G: hosts 1 and 2 send to host 0, whose downlink is the bottleneck.
const topo = leafSpine({ leaves: 1, spines: 1, hostsPerLeaf: 8, hostLinkGbps: 100, fabricLinkGbps: 100 })
const lossless = { pfc: { xoffBytes: 262144, xonBytes: 229376, headroomBytes: 65536 }, int: { bytesPerRecord: 8, maxHops: 5 } }
// Per-packet ACKs, as the algorithms' papers assume (see the HPCC note in the README).
const withCc = (cc: string, extra: Partial<FabricProfile['nic']> = {}) =>
  profile('ai-ethernet', { switch: lossless, nic: { congestionControl: cc, ackEveryPackets: 1, ...extra } })

const MS = 1_000_000_000

/** Two 32 MiB flows into host 0, the second 200 us later: Jain index and link use from 1 to 3 ms. */
function twoFlows(cc: string) {
  const trace: Trace = {
    format: 'aifab.trace',
    version: 1,
    name: 'two-flows',
    ranks: 3,
    ops: [
      { id: 0, src: 1, dst: 0, bytes: 32 << 20, deps: [] },
      { id: 1, src: 2, dst: 0, bytes: 32 << 20, deps: [], startNs: 200_000 },
    ],
  }
  const fabric = buildFabric(topo, withCc(cc), 1)
  const s = samplePackets(fabric, [1 * MS, 3 * MS])
  const result = replay(fabric, trace, 'two-flows')
  const a = s[1]![0]! - s[0]![0]!
  const b = s[1]![1]! - s[0]![1]!
  const wirePerPacket = 4096 + 82
  return { result, fairness: jain([a, b]), utilization: ((a + b) * wirePerPacket * 8) / (100e9 * 2e-3) }
}

describe('two long flows on one bottleneck', () => {
  for (const cc of ['none', 'dcqcn', 'hpcc', 'dctcp', 'swift', 'nscc']) {
    it(`${cc}: the later flow gets its fair share (Jain > 0.95)`, () => {
      const { result, fairness, utilization } = twoFlows(cc)
      expect(result.outcome).toBe('complete')
      expect(fairness).toBeGreaterThan(0.95)
      expect(utilization).toBeLessThanOrEqual(1.001)
      if (cc === 'hpcc') {
        // HPCC aims its bottleneck at eta = 0.95 utilization.
        expect(utilization).toBeGreaterThan(0.85)
        expect(utilization).toBeLessThan(0.99)
      } else if (cc === 'dcqcn') {
        // With the published R_AI (5 Mb/s per 25G) and a 10 MB byte counter, each
        // CNP at alpha near 1 halves the rate and recovery is slow: about a third
        // of the link stays idle in this run. Reported, not tuned.
        expect(utilization).toBeGreaterThan(0.55)
      } else {
        expect(utilization).toBeGreaterThan(0.95)
      }
    })
  }

  it('timely: no unique fixed point (Zhu et al., CoNEXT 2016); at 100G its 50 us Tlow never engages, so PFC does the work', () => {
    const { result, utilization } = twoFlows('timely')
    expect(result.outcome).toBe('complete')
    expect(utilization).toBeGreaterThan(0.9)
  })
})

describe('queues under incast', () => {
  const incast = flowsTrace(
    Array.from({ length: 7 }, (_, i): [number, number] => [i + 1, 0]),
    4 << 20,
    8,
  )
  const bottleneck = (cc: string, extra: Partial<FabricProfile['nic']> = {}) => {
    const { report, fabric } = simulate(incast, topo, withCc(cc, extra), 1)
    expect(report.outcome).toBe('complete')
    const port = fabric.ports.find((p) => p.name === 'leaf0>host0')!
    return { report, p99: port.queueSeen.quantile(0.99) }
  }

  it('HPCC keeps the bottleneck queue far below what DCQCN builds', () => {
    const hpcc = bottleneck('hpcc')
    const dcqcn = bottleneck('dcqcn')
    expect(hpcc.p99).toBeLessThan(dcqcn.p99 / 4)
  })

  it('DCQCN: fewer ECN marks as rates fall, and once it has reacted PFC has nothing left to do', () => {
    const fabric = buildFabric(topo, withCc('dcqcn'), 1)
    const marks: number[] = []
    const pauses: number[] = []
    const id = fabric.sched.register({
      onEvent: () => {
        const c = fabric.counters()
        marks.push(c.ecnMarks)
        pauses.push(c.pfcPausesSent)
      },
    })
    for (const t of [0.25, 0.5, 0.75, 1.0]) fabric.sched.schedule(t * MS, id, 0, 0)
    expect(replay(fabric, incast, 'incast').outcome).toBe('complete')
    const first = marks[1]! - marks[0]!
    const last = marks[3]! - marks[2]!
    expect(first).toBeGreaterThan(0)
    expect(last).toBeLessThan(first)
    // The initial line-rate burst pauses; after the first CNPs no more.
    expect(pauses[3]! - pauses[1]!).toBe(0)
    // Senders that never slow down (no congestion control, no window limit) lean on PFC throughout.
    const blind = bottleneck('none', { windowBdp: 1000 }).report.summary.pfcPauses
    expect(blind).toBeGreaterThan(fabric.counters().pfcPausesSent)
  })
})

describe('a user module', () => {
  const load = async (file: string): Promise<CcDefinition> => {
    const mod = await import(pathToFileURL(new URL(file, import.meta.url).pathname).href)
    return typeof mod.default === 'function' ? { name: mod.name ?? 'throws', description: mod.description ?? '', params: mod.params ?? {}, create: mod.default } : mod.default
  }
  const single = flowsTrace([[1, 0]], 8 << 20, 2)

  it('the shipped example holding half the line rate gives half the goodput', async () => {
    const example = await load('../configs/cc/example-cc.mjs')
    const prof = withCc('example', {})
    const half = replayWith(single, prof, example, {})
    const full = simulate(single, topo, withCc('none'), 1).report.summary.goodputMeanFraction
    expect(half / full).toBeGreaterThan(0.49)
    expect(half / full).toBeLessThan(0.51)
    // And its parameter does what it says.
    const quarter = replayWith(single, prof, example, { fraction: 0.25 })
    expect(quarter / full).toBeGreaterThan(0.245)
    expect(quarter / full).toBeLessThan(0.255)
  })

  it('a module that throws or sets a rate that is not a number stops the run and names itself, the flow and the event', async () => {
    for (const [file, pattern] of [
      ['fixtures/cc/throws.mjs', /congestion control throws, queue pair 0, on ack: threw boom/],
      ['fixtures/cc/nan-rate.mjs', /congestion control nan-rate, queue pair 0, on ack: set rate NaN b\/s/],
    ] as const) {
      const def = await load(file)
      const fabric = buildFabric(topo, withCc(def.name), 1, def)
      const result = replay(fabric, single, 'single')
      expect(result.outcome).toBe('cc-error')
      expect(result.error).toMatch(pattern)
      // The packet in hand when the controller broke is not leaked: the partial report still balances.
      const c = fabric.counters()
      expect(c.packetsLive).toBe(c.framesQueued + c.framesOnWire)
    }
  })
})

describe('determinism', () => {
  it('every built-in gives byte-identical reports for the same seed', () => {
    const trace = flowsTrace([[1, 0], [2, 0], [3, 0]], 1 << 20, 4)
    for (const cc of Object.keys(BUILTIN_CC)) {
      const a = JSON.stringify(simulate(trace, topo, withCc(cc), 9).report)
      const b = JSON.stringify(simulate(trace, topo, withCc(cc), 9).report)
      expect(a === b, cc).toBe(true)
    }
  })
})

function replayWith(trace: Trace, prof: FabricProfile, def: CcDefinition, params: Record<string, number>): number {
  const fabric = buildFabric(topo, { ...prof, nic: { ...prof.nic, ccParams: params } }, 1, def)
  const result = replay(fabric, trace, 'x')
  expect(result.outcome).toBe('complete')
  const ideal = (trace.ops[0]!.bytes * 8e12) / 100e9
  return ideal / (result.opEndPs[0]! - result.opStartPs[0]!)
}

describe('per-flow time series', () => {
  it('samples rate, window, RTT and U at the interval, within a bounded budget, and stops with the run', () => {
    const trace = flowsTrace([[1, 0], [2, 0]], 16 << 20, 3)
    const fabric = buildFabric(topo, withCc('hpcc'), 1)
    const result = replay(fabric, trace, 'ts', { sampleIntervalPs: 1_000_000 })
    expect(result.outcome).toBe('complete')
    const ts = result.timeSeries!
    expect(ts.flows.length).toBe(2)
    for (const f of ts.flows) {
      expect(f.tPs.length).toBeGreaterThan(50)
      expect(f.tPs.length).toBeLessThanOrEqual(512)
      // HPCC: a window, a rate at most the line rate, U in a sane range once measured.
      expect(Math.max(...f.rateBps)).toBeLessThanOrEqual(100e9)
      expect(f.windowBytes.every((w) => w > 0)).toBe(true)
      expect(f.u.some((u) => u > 0.5 && u < 2)).toBe(true)
      expect(f.rttPs.filter((r) => r > 0).length).toBeGreaterThan(0)
    }
    // The run of 2 x 16 MiB at 100G takes about 2.7 ms: with a 1 us interval the budget filled and the interval doubled.
    expect(ts.intervalPs).toBeGreaterThan(1_000_000)
    // Every sample, the fabric's and each flow's, sits on the final interval's grid from time 0, evenly spaced.
    for (const t of [ts.fabric.tPs, ...ts.flows.map((f) => f.tPs)]) {
      expect(t.every((x) => x % ts.intervalPs === 0)).toBe(true)
      expect(t.slice(1).every((x, i) => x - t[i]! === ts.intervalPs)).toBe(true)
    }
  })
})
