import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { jsonText } from './json-chunks.ts'
import { toJson } from './render-outputs.ts'

const joined = (v: unknown) => [...jsonText(v)].join('')

describe('jsonText', () => {
  it('writes the bytes toJson writes, for saved reports', () => {
    for (const f of ['ring-roce.report.json', 'htsim-chain-fault.report.json']) {
      const report: unknown = JSON.parse(readFileSync(new URL(`../../../test/golden/${f}`, import.meta.url), 'utf8'))
      expect(joined(report)).toBe(toJson(report))
      expect(joined({ baseline: report, candidate: report, speedup: 1.5 })).toBe(toJson({ baseline: report, candidate: report, speedup: 1.5 }))
    }
  })

  it('writes what JSON.stringify writes for the corners: empty, skipped, null-ed and custom members', () => {
    const corners = {
      a: [],
      b: {},
      c: [undefined, () => 1, Symbol('s'), NaN, -0, Infinity, 'x\ny"', [[], {}, [1, [2, { z: [3] }]]]],
      d: undefined,
      e: () => 1,
      f: { g: undefined },
      when: new Date(0),
      typed: new Int32Array([1, 2]),
      nested: { deep: { deeper: [{ k: 1, v: [1, 2] }, null, true] } },
      10: 'integer keys first',
      [Symbol('hidden')]: 1,
      // eslint-disable-next-line no-sparse-arrays
      sparse: [1, , 3],
      proto: Object.assign(Object.create(null), { x: [1] }),
    }
    expect(joined(corners)).toBe(toJson(corners))
    for (const v of [[], {}, null, 0, 'top', [{}], [[]], { a: { b: {} } }, undefined, () => 1]) expect(joined(v)).toBe(toJson(v))
    // toJSON is called with the member's key or the element's index, and what it returns is written.
    const keyed = { toJSON: (k: string) => (k === '' ? 'top' : k === '3' ? { three: [k] } : k === 'gone' ? undefined : `key ${k}`) }
    const withKeys = { a: keyed, gone: keyed, list: [1, keyed, [keyed], keyed, keyed], nested: { b: [keyed, { c: keyed }] } }
    expect(joined(withKeys)).toBe(toJson(withKeys))
    expect(joined(keyed)).toBe(toJson(keyed))
    const fn = Object.assign(() => 1, { toJSON: (k: string) => `fn@${k}` })
    expect(joined({ a: fn, b: { c: {} }, d: [1, fn, { e: [fn] }] })).toBe(toJson({ a: fn, b: { c: {} }, d: [1, fn, { e: [fn] }] }))
    const ownToJson = Object.assign([1, [2]], { toJSON: () => 'r' })
    expect(joined({ x: ownToJson, y: [ownToJson, 5] })).toBe(toJson({ x: ownToJson, y: [ownToJson, 5] }))
  })

  it('hands large text over in pieces, each iteration from the start', () => {
    const flows = Array.from({ length: 30_000 }, (_, i) => ({ id: i, src: i % 7, bytes: 4096, fctPs: i * 1000.5 }))
    const text = jsonText({ flows })
    const pieces = [...text]
    expect(pieces.length).toBeGreaterThan(1)
    expect(pieces.every((p) => p.length < 2 ** 21)).toBe(true)
    expect(pieces.join('')).toBe(toJson({ flows }))
    expect([...text].join('')).toBe(pieces.join(''))
  })
})
