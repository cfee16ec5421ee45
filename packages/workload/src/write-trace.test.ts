import { unpack } from 'msgpackr'
import { describe, expect, it } from 'vitest'
import { genAlltoall } from './gen-collectives.ts'
import { serializeTrace } from './write-trace.ts'

describe('serializeTrace', () => {
  const trace = genAlltoall({ ranks: 64, bytes: 64 << 20 })

  it('msgpack and JSON carry the same trace', () => {
    const fromJson = JSON.parse(serializeTrace(trace, 'json') as string)
    expect(unpack(serializeTrace(trace, 'msgpack') as Uint8Array)).toEqual(fromJson)
  })

  it('msgpack of a 64-rank all-to-all is at least 2.5x smaller than compact JSON (record structures)', () => {
    const compactJson = Buffer.byteLength(JSON.stringify(trace))
    const msgpack = (serializeTrace(trace, 'msgpack') as Uint8Array).byteLength
    expect(compactJson / msgpack).toBeGreaterThanOrEqual(2.5)
  })

  it('the same trace gives the same bytes', () => {
    expect(Buffer.from(serializeTrace(trace, 'msgpack') as Uint8Array).equals(Buffer.from(serializeTrace(trace, 'msgpack') as Uint8Array))).toBe(true)
  })
})
