import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { inputWarnings } from '@aifab/core'
import { afterAll, describe, expect, it } from 'vitest'
import { genAlltoall } from './gen-collectives.ts'
import { loadTrace, parseTrace } from './parse-trace.ts'
import { streamTraceJson } from './stream-trace-json.ts'
import { serializeTrace } from './write-trace.ts'

const dir = mkdtempSync(join(tmpdir(), 'aifab-stream-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
const file = (name: string, text: string) => {
  const path = join(dir, name)
  writeFileSync(path, text)
  return path
}
const message = (f: () => unknown) => {
  try {
    f()
  } catch (e) {
    return (e as Error).message
  }
  return 'no error'
}

describe('streamed JSON traces', () => {
  const trace = { ...genAlltoall({ ranks: 8, bytes: 1 << 16 }), jobs: [{ name: 'a', ranks: 8 }] }
  trace.ops.forEach((op, i) => ((op.job = 0), i % 3 === 0 && (op.startNs = i * 10)))
  const text = serializeTrace(trace, 'json') as string

  it('read as aifab writes them, give the trace a whole parse gives', () => {
    const streamed = streamTraceJson(file('a.json', text))
    expect(streamed).not.toBeNull()
    expect(streamed).toEqual(parseTrace(JSON.parse(text), join(dir, 'a.json')))
  })

  it('fall back to a whole parse for any other layout, with the same result', () => {
    const path = file('pretty.json', JSON.stringify(trace, null, 2))
    expect(streamTraceJson(path)).toBeNull()
    expect(loadTrace(path)).toEqual(parseTrace(trace, path))
  })

  it('warn once about an unknown field, streamed or parsed whole after a layout break', () => {
    inputWarnings.take()
    const lines = text.split('\n')
    lines[1] = '  "colour": "red",' + '\n' + lines[1]
    // An op line in another layout half-way through forces the whole parse after the stream read the head.
    const broken = lines.join('\n').replace('"id":3,', '"id": 3,').replace(/\n {4}\{"id": 3/, '\n  {"id": 3')
    for (const body of [lines.join('\n'), broken]) {
      expect(loadTrace(file('w.json', body)).ops.length).toBe(trace.ops.length)
      expect(inputWarnings.take()).toEqual([`${join(dir, 'w.json')}: colour: unknown field, ignored; expected one of: format, version, name, description, ranks, collective, placement, jobs, ops`])
    }
  })

  it('report a broken op line as the whole parse does, and content errors with the op index', () => {
    const broken = file('broken.json', text.replace('"src":3', '"src":3,,'))
    expect(streamTraceJson(broken)).toBeNull()
    expect(message(() => loadTrace(broken))).toMatch(/broken\.json: not valid JSON/)
    const bad = text.replace(/"src":3,"dst":0/, '"src":3,"dst":99')
    const path = file('bad.json', bad)
    expect(message(() => loadTrace(path))).toBe(message(() => parseTrace(JSON.parse(bad), path)))
    expect(message(() => loadTrace(path))).toMatch(/bad\.json: ops\[\d+\]\.dst: rank out of range 0\.\.7, got 99/)
  })
})
