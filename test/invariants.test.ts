// The invariants every run is checked against (report/src/invariants.ts):
// a clean run passes, and each invariant catches its own kind of breakage,
// planted in the fabric's counters or the report after a real run.
import { buildFabric, type Fabric } from '@aifab/topology'
import { buildReport, checkInvariants, type Report } from '@aifab/report'
import { genRingAllreduce, replay, type ReplayResult } from '@aifab/workload'
import { describe, expect, it } from 'vitest'
import { leafSpine, profile } from './helpers/scenario.ts'

const trace = genRingAllreduce({ ranks: 8, bytes: 1 << 20 })

function run(): { report: Report; fabric: Fabric; result: ReplayResult } {
  const fabric = buildFabric(leafSpine({ leaves: 2, spines: 2, hostsPerLeaf: 4 }), profile('ai-ethernet'), 1)
  const result = replay(fabric, trace, 'test')
  const report = buildReport({ trace, traceFile: 'test', fabric, result })
  return { report, fabric, result }
}
const check = (r: ReturnType<typeof run>) => checkInvariants(r.report, r.fabric, trace, r.result)

describe('run invariants', () => {
  it('a clean run breaks none', () => {
    expect(check(run())).toBeNull()
  })

  it('each catches its own breakage and names the first offending element', () => {
    const cases: [string, (r: ReturnType<typeof run>) => void, RegExp][] = [
      ['packet conservation', (r) => (r.report.conservation.ok = false), /fabric/],
      ['ops accounted for', (r) => r.report.incompleteOps.push({ id: 3, reason: 'x' }), /trace/],
      ['empty network after the run', (r) => (r.report.conservation.inNetwork = 1), /fabric/],
      ['empty reorder windows after the run', (r) => (r.fabric.qps[2]!.rcvHeld = 1), /queue pair 2/],
      ['payload conservation', (r) => (r.fabric.nics[5]!.deliveredPayloadBytes += 4096), /fabric/],
      ['link rate', (r) => (r.fabric.ports[7]!.peakRateBps /= 1000), new RegExp(`^${run().fabric.ports[7]!.name}$`)],
      ['busbw within egress capacity', (r) => (r.report.summary.busbwGbps = 401), /summary\.busbwGbps/],
      ['finite numbers', (r) => (r.report.flows[4]!.idealFctPs = NaN), /report\.flows\[4\]\.idealFctPs/],
      ['no negative figures', (r) => (r.report.tiers[0]!.drops = -2), /report\.tiers\[0\]\.drops/],
    ]
    for (const [name, breakIt, element] of cases) {
      const r = run()
      breakIt(r)
      const v = check(r)
      expect(v?.invariant, name).toBe(name)
      expect(v!.element).toMatch(element)
    }
  })

  it('with sampling, a port sending faster than its rate in any interval is caught', () => {
    const fabric = buildFabric(leafSpine({ leaves: 2, spines: 2, hostsPerLeaf: 4 }), profile('ai-ethernet'), 1)
    // A planted timing bug: one host port runs at four times its rate from 20 us, behind the peak tracking's back.
    const port = fabric.nics[0]!.port
    const id = fabric.sched.register({ onEvent: () => (port.rateBps *= 4) })
    fabric.sched.schedule(20_000_000, id, 0, 0)
    const result = replay(fabric, trace, 'test', { sampleIntervalPs: 1_000_000 })
    const report = buildReport({ trace, traceFile: 'test', fabric, result })
    expect(checkInvariants(report, fabric, trace, result)).toMatchObject({ invariant: 'link rate', element: port.name })
    // The same run without the bug passes, sampled.
    const clean = buildFabric(leafSpine({ leaves: 2, spines: 2, hostsPerLeaf: 4 }), profile('ai-ethernet'), 1)
    const ok = replay(clean, trace, 'test', { sampleIntervalPs: 1_000_000 })
    expect(ok.rateExcess).toBeNull()
  })

  it('echoed inputs may be negative (a module parameter), computed figures may not', () => {
    const r = run()
    r.report.cc.params.backoff = -1
    expect(check(r)).toBeNull()
  })

  it('-1 stands for "never" only where the format says so', () => {
    const r = run()
    r.report.flows[0]!.endPs = -1
    expect(check(r)?.invariant).not.toBe('no negative figures')
    r.report.flows[0]!.bytes = -1
    expect(check(r)).toMatchObject({ invariant: 'no negative figures', element: 'report.flows[0].bytes' })
  })
})
