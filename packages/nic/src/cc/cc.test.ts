// Each built-in against responses computed by hand from its paper's rules
// (REFERENCE.md), so that a renamed AIMD cannot pass.
import { Rng } from '@aifab/core'
import { describe, expect, it } from 'vitest'
import type { AckInfo } from '../ack-info.ts'
import type { CcContext, CcDefinition } from '../congestion-control.ts'
import { BUILTIN_CC, resolveCcParams } from '../cc-registry.ts'
import type { Dcqcn } from './dcqcn.ts'
import type { Dctcp } from './dctcp.ts'
import type { Hpcc } from './hpcc.ts'
import type { Nscc } from './nscc.ts'
import type { Swift } from './swift.ts'
import type { Timely } from './timely.ts'

const LINE = 100e9
const T = 10_000_000 // 10 us base RTT
const MTU = 4096

function make<C>(def: CcDefinition, overrides: Record<string, number> = {}) {
  let now = 0
  const timers: { delayPs: number; tag: number }[] = []
  const ctx: CcContext = {
    lineRateBps: LINE,
    baseRttPs: T,
    mtuBytes: MTU,
    initialWindowBytes: 100_000,
    hops: 3,
    rng: new Rng(1),
    nowPs: () => now,
    setTimer: (delayPs, tag) => timers.push({ delayPs, tag }),
  }
  const cc = def.create(resolveCcParams(def, overrides, 'test', 'ccParams'), ctx) as unknown as C
  return { cc, timers, at: (ps: number) => (now = ps) }
}

/** An ACK with one INT record per hop: [port, tsPs, txBytes, qlenBytes]. */
function ack(fields: Partial<AckInfo>, hops: [number, number, number, number][] = []): AckInfo {
  return {
    ackedBytes: MTU,
    ackPsn: 0,
    nextPsn: 0,
    rttPs: T,
    ecnEcho: false,
    ceMarkedPackets: 0,
    nack: false,
    intHops: hops.length,
    hopPort: (j: number) => hops[j]![0],
    hopSwitch: (j: number) => hops[j]![0],
    hopTsPs: (j: number) => hops[j]![1],
    hopTxBytes: (j: number) => hops[j]![2],
    hopQlenBytes: (j: number) => hops[j]![3],
    hopRateBps: () => LINE,
    ...fields,
  } as unknown as AckInfo
}

describe('dcqcn', () => {
  it('a CNP: Rt = Rc, Rc halves at alpha 1, alpha stays 1; a rate timer then recovers half the gap', () => {
    const { cc, timers } = make<Dcqcn>(BUILTIN_CC.dcqcn!)
    cc.onCnp()
    expect(cc.targetBps).toBe(100e9)
    expect(cc.rateBps).toBe(50e9)
    expect(cc.alpha).toBe(1)
    const rateTimer = timers[timers.length - 1]!
    expect(rateTimer.delayPs).toBe(55e6)
    cc.onTimer(rateTimer.tag)
    expect(cc.rateBps).toBe(75e9)
    // A second CNP now: Rt = 75G, Rc = 37.5G.
    cc.onCnp()
    expect(cc.targetBps).toBe(75e9)
    expect(cc.rateBps).toBe(37.5e9)
  })

  it('alpha decays by (1-g) per alpha timer without a CNP, and not in a timer period that had one', () => {
    const { cc } = make<Dcqcn>(BUILTIN_CC.dcqcn!)
    cc.onCnp()
    cc.onTimer(0) // that period had a CNP
    expect(cc.alpha).toBe(1)
    cc.onTimer(0)
    expect(cc.alpha).toBe(1 - 1 / 256)
    cc.onCnp() // alpha = (1-g) alpha + g
    expect(cc.alpha).toBeCloseTo((1 - 1 / 256) * (1 - 1 / 256) + 1 / 256, 15)
  })

  it('after F fast-recovery steps, additive increase raises Rt by R_AI (5 Mb/s per 25G)', () => {
    const { cc, timers } = make<Dcqcn>(BUILTIN_CC.dcqcn!)
    cc.onCnp()
    const tag = timers[timers.length - 1]!.tag
    for (let i = 0; i < 4; i++) cc.onTimer(tag)
    expect(cc.targetBps).toBe(100e9)
    const before = cc.rateBps
    cc.onTimer(tag) // timeStage 5 = F: additive
    expect(cc.targetBps).toBe(100e9) // capped at line rate
    expect(cc.rateBps).toBe((100e9 + before) / 2)
  })

  it('below the line rate the additive step shows: Rt += 20 Mb/s at 100G', () => {
    const { cc, timers } = make<Dcqcn>(BUILTIN_CC.dcqcn!)
    cc.onCnp() // Rt 100G, Rc 50G
    cc.onCnp() // Rt 50G, Rc 25G
    const tag = timers[timers.length - 1]!.tag
    for (let i = 0; i < 4; i++) cc.onTimer(tag) // fast recovery: the gap halves each time
    expect(cc.rateBps).toBe(50e9 - 25e9 / 16)
    cc.onTimer(tag)
    expect(cc.targetBps).toBe(50e9 + 20e6)
    expect(cc.rateBps).toBe((50e9 + 20e6 + 50e9 - 25e9 / 16) / 2)
  })

  it('ignores rate-timer ticks from before the last CNP', () => {
    const { cc, timers } = make<Dcqcn>(BUILTIN_CC.dcqcn!)
    const oldTag = timers[timers.length - 1]!.tag
    cc.onCnp()
    const r = cc.rateBps
    cc.onTimer(oldTag)
    expect(cc.rateBps).toBe(r)
  })
})

describe('hpcc', () => {
  it('one ACK with INT records: U = txRate/B + qlen/(B T), W = Wc / (U / eta) + W_AI, paced at W / T', () => {
    const { cc } = make<Hpcc>(BUILTIN_CC.hpcc!)
    const bdp = (LINE * T) / 8e12 // 125,000 bytes
    expect(cc.windowBytes).toBe(100_000) // the context's initial window
    cc.onAck(ack({ ackPsn: 1, nextPsn: 50 }, [[7, 0, 0, 62_500]]))
    // One T later the port sent a full BDP (line rate) and still holds half a BDP.
    cc.onAck(ack({ ackPsn: 51, nextPsn: 100 }, [[7, T, bdp, 62_500]]))
    const u = 1 + 62_500 / bdp
    expect(cc.u).toBeCloseTo(u, 12)
    const w = 100_000 / (u / 0.95) + 80 // Wc starts at the initial window
    expect(cc.windowBytes).toBeCloseTo(w, 6)
    expect(cc.rateBps).toBeCloseTo(Math.min(LINE, (w * 8e12) / T), 0)
    expect(cc.wcBytes).toBeCloseTo(w, 6) // a new round trip: the reference moves
    // Within the same round trip (ack 60 < 100) the reference window stays.
    cc.onAck(ack({ ackPsn: 60, nextPsn: 120 }, [[7, 2 * T, 2 * bdp, 0]]))
    expect(cc.wcBytes).toBeCloseTo(w, 6)
  })

  it('records of another port (a sprayed packet) only refresh the reference', () => {
    const { cc } = make<Hpcc>(BUILTIN_CC.hpcc!)
    cc.onAck(ack({ ackPsn: 1 }, [[7, 0, 0, 0]]))
    cc.onAck(ack({ ackPsn: 2 }, [[8, T, 1e9, 1e6]]))
    expect(cc.u).toBe(0)
  })
})

describe('dctcp', () => {
  it('per RTT: alpha = (1-g) alpha + g F; marked: W (1 - alpha/2), else W + MTU', () => {
    const { cc } = make<Dctcp>(BUILTIN_CC.dctcp!)
    cc.endRound(0.5, true)
    const alpha = (1 - 1 / 16) * 1 + (1 / 16) * 0.5
    expect(cc.alpha).toBe(alpha)
    expect(cc.windowBytes).toBe(100_000 * (1 - alpha / 2))
    const w = cc.windowBytes
    cc.endRound(0, false)
    expect(cc.windowBytes).toBe(w + MTU)
  })

  it('counts the marked fraction of packets over one round trip of ACKs', () => {
    const { cc } = make<Dctcp>(BUILTIN_CC.dctcp!)
    // Packets, not ACKs: 2 + 4 + 1 + 1 packets, 1 + 0 + 0 + 1 of them CE-marked.
    cc.onAck(ack({ ackPsn: 2, nextPsn: 10, ackedBytes: 2 * MTU, ecnEcho: true, ceMarkedPackets: 1 }))
    cc.onAck(ack({ ackPsn: 6, nextPsn: 12, ackedBytes: 4 * MTU }))
    cc.onAck(ack({ ackPsn: 7, nextPsn: 14, ackedBytes: MTU }))
    expect(cc.windowBytes).toBe(100_000) // the round (up to PSN 10) is not over
    cc.onAck(ack({ ackPsn: 10, nextPsn: 20, ackedBytes: MTU, ecnEcho: true, ceMarkedPackets: 1 }))
    const alpha = (1 - 1 / 16) + (1 / 16) * (2 / 8)
    expect(cc.windowBytes).toBe(100_000 * (1 - alpha / 2))
  })
})

describe('swift', () => {
  const target = (cwnd: number) => {
    const a = 1 / Math.sqrt(0.1)
    const b = 1 / Math.sqrt(100)
    const fs = Math.min(1, Math.max(0, (1 / Math.sqrt(cwnd) - b) / (a - b)))
    return T + 3 * 0.1e6 + fs * 5e6
  }
  it('below target: cwnd += ai x acked / cwnd; above: cwnd *= max(1 - beta (d - t) / d, 1 - maxMdf), once per RTT', () => {
    const { cc, at } = make<Swift>(BUILTIN_CC.swift!)
    const c0 = 100_000 / MTU
    expect(cc.targetPs()).toBeCloseTo(target(c0), 3)
    cc.react(T, 2)
    const c1 = c0 + 2 / c0
    expect(cc.cwnd).toBeCloseTo(c1, 12)
    at(1)
    const d = 20e6
    cc.react(d, 1)
    const c2 = c1 * Math.max(1 - (0.8 * (d - target(c1))) / d, 0.5)
    expect(cc.cwnd).toBeCloseTo(c2, 12)
    cc.react(d, 1) // same RTT: no second decrease
    expect(cc.cwnd).toBeCloseTo(c2, 12)
    at(1 + T)
    cc.react(100e6, 1) // far above target: capped at 1 - maxMdf
    expect(cc.cwnd).toBeCloseTo(c2 * 0.5, 12)
    expect(cc.windowBytes).toBeCloseTo(c2 * 0.5 * MTU, 6)
  })
})

describe('nscc', () => {
  it('the four-way rule on ECN x delay', () => {
    const { cc, at } = make<Nscc>(BUILTIN_CC.nscc!)
    const target = 1.25 * T
    let w = 100_000
    cc.react(5e6, false, MTU) // no ECN, below target: proportional increase
    w += (MTU * (target - 5e6)) / target
    expect(cc.windowBytes).toBeCloseTo(w, 9)
    cc.react(20e6, false, MTU) // no ECN, above target: fair increase
    w += (MTU * MTU) / w
    expect(cc.windowBytes).toBeCloseTo(w, 9)
    cc.react(5e6, true, MTU) // ECN, below target: leave it
    expect(cc.windowBytes).toBeCloseTo(w, 9)
    at(T)
    cc.react(20e6, true, MTU) // ECN and above target: multiplicative decrease by the average delay
    const avg = cc.avgDelayPs
    expect(cc.windowBytes).toBeCloseTo(w * Math.max(1 - (0.8 * (Math.max(avg, target) - target)) / Math.max(avg, target), 0.5), 9)
  })
})

describe('timely', () => {
  it('the RTT gradient drives the rate', () => {
    const { cc } = make<Timely>(BUILTIN_CC.timely!)
    cc.update(55e6)
    cc.update(60e6) // diff = 0.875 x 5 us, grad = diff / 20 us
    const grad = (0.875 * 5e6) / 20e6
    expect(cc.rateBps).toBeCloseTo(LINE * (1 - 0.8 * grad), 0)
    const r = cc.rateBps
    cc.update(30e6) // below Tlow: + delta
    expect(cc.rateBps).toBeCloseTo(r + 10e6, 0)
    const r2 = cc.rateBps
    cc.update(600e6) // above Thigh: x (1 - beta (1 - Thigh / rtt))
    expect(cc.rateBps).toBeCloseTo(r2 * (1 - 0.8 * (1 - 500 / 600)), 0)
  })
})

describe('the registry', () => {
  it('rejects parameters out of range', () => {
    expect(() => resolveCcParams(BUILTIN_CC.dcqcn!, { rateTimerUs: 0 }, 'p.json', 'nic.ccParams')).toThrow(/nic\.ccParams\.rateTimerUs: expected a number >= 0\.001, got 0/)
    expect(() => resolveCcParams(BUILTIN_CC.swift!, { maxMdf: 1.5 }, 'p.json', 'nic.ccParams')).toThrow(/expected a number in 0\.\.0\.999, got 1\.5/)
  })
  it('rejects unknown parameters with the list of known ones', () => {
    expect(() => resolveCcParams(BUILTIN_CC.hpcc!, { etta: 1 }, 'p.json', 'nic.ccParams')).toThrow(/hpcc has no parameter etta; it has: eta, maxStage, wAiBytes/)
  })
})
