import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { parseJsonBytes } from './parse-json-bytes.ts'
import { jsonText } from './json-chunks.ts'

const bytes = (s: string) => Buffer.from(s, 'utf8')

describe('parseJsonBytes', () => {
  it('gives what JSON.parse gives, for a saved report and for the corners', () => {
    const report = readFileSync(new URL('../../../test/golden/ring-roce.report.json', import.meta.url), 'utf8')
    expect(parseJsonBytes(bytes(report))).toEqual(JSON.parse(report))
    for (const s of ['[]', '{}', ' [1, "a\\"]", {"b": [null, true]}] ', '"\\u00e9t\\u00e9"', '-1.5e3', '{"__proto__": 1}']) {
      expect(parseJsonBytes(bytes(s))).toEqual(JSON.parse(s))
    }
    expect(Object.keys(parseJsonBytes(bytes('{"__proto__": {"x": 1}}')) as object)).toEqual(['__proto__'])
  })

  it('reads text past the whole-value limit member by member, arrays in batches, and equals JSON.parse', () => {
    // Small limits take a small text down the paths a report of gigabytes takes: a document past the limit,
    // an array past it (in batches), an element past it, and strings holding every character the scanner
    // must step over (quotes, backslashes, brackets, commas, UTF-8).
    const flows = Array.from({ length: 2000 }, (_, i) => ({ id: i, note: i % 100 === 0 ? 'a "q" \\ ] } , [ { é' : 'x', fctPs: i * 1.5, deps: [i, i + 1] }))
    const huge = { inner: Array.from({ length: 300 }, (_, i) => [i, { s: 'é,]' }]) }
    const doc = { format: 'aifab.report', flows, mixed: [1, huge, 'z', huge, []], tail: { n: 1 }, empty: {} }
    const text = Buffer.concat([...jsonText(doc)].map((p) => Buffer.from(p, 'utf8')))
    for (const limits of [{ wholeBytes: 4096, batchBytes: 1000 }, { wholeBytes: 64, batchBytes: 1 }, {}]) {
      expect(parseJsonBytes(text, limits)).toEqual(doc)
    }
  })

  it('opens at most 8 levels, so deep nesting costs no more than JSON.parse', () => {
    // Opened level by level, this overflowed the stack (and scanned the text once a level).
    let v = parseJsonBytes(bytes('['.repeat(20000) + '"x"' + ']'.repeat(20000)), { wholeBytes: 16, batchBytes: 8 })
    let depth = 0
    for (; Array.isArray(v); depth++) v = v[0]
    expect([depth, v]).toEqual([20000, 'x'])
  })

  it('gives the byte of the whole text where a piece JSON.parse refused goes wrong', () => {
    // Multi-byte characters before the fault: JSON.parse counts characters, the file is bytes.
    const text = '[' + Array.from({ length: 50 }, (_, i) => `{"i": ${i}, "s": "é"}`).join(', ') + ', {"i": 50 "j": 1}]'
    const fault = Buffer.byteLength(text.slice(0, text.indexOf('"j"')))
    expect(() => parseJsonBytes(bytes(text), { wholeBytes: 64, batchBytes: 64 })).toThrow(new RegExp(`at byte ${fault}$`))
  })

  it('throws a SyntaxError for malformed text, large or small', () => {
    for (const s of ['', '[1,', '[1 2]', '{"a" 1}', '{"a": 1,}', '[1}', '"open', '[1] x', '{a: 1}']) {
      expect(() => parseJsonBytes(bytes(s)), s).toThrow(SyntaxError)
    }
    const small = { wholeBytes: 16, batchBytes: 8 }
    for (const s of ['[' + '1,'.repeat(40) + '2 3]', '{"a": [' + '1,'.repeat(40) + '2], "b" 1}', '[' + '"x",'.repeat(40) + '"y"}', '{"a": 1}'.repeat(3)]) {
      expect(() => parseJsonBytes(bytes(s), small), s).toThrow(SyntaxError)
    }
  })
})
