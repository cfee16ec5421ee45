import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { FileLines, textLines, type LineSource } from './line-source.ts'

const all = (src: LineSource) => {
  const out: [number, string][] = []
  for (let l = src.next(); l !== null; l = src.next()) out.push([src.lineNo, l])
  return out
}

describe('line sources', () => {
  const dir = mkdtempSync(join(tmpdir(), 'aifab-lines-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('read a file across chunk boundaries, with CRLF, multi-byte characters and no final newline', () => {
    // The first line ends with a 3-byte character split by the 1 MiB chunk edge (bytes 2^20 - 1 .. 2^20 + 1),
    // then lines long enough that more chunk edges fall inside them.
    const lines = ['a'.repeat((1 << 20) - 1) + '€', ...Array.from({ length: 3000 }, (_, i) => `${i} ${'x'.repeat(400 + (i % 7))}€`)]
    const path = join(dir, 'a.txt')
    writeFileSync(path, lines.join('\r\n'))
    const got = all(new FileLines(path))
    expect(got.length).toBe(3001)
    expect(got.map(([, l]) => l)).toEqual(lines)
    expect(got[3000]![0]).toBe(3001)
  })

  it('agree with a string split into lines', () => {
    const text = 'a\n\nb\r\nc\n'
    const path = join(dir, 'b.txt')
    writeFileSync(path, text)
    expect(all(new FileLines(path))).toEqual(all(textLines(text)))
    expect(all(textLines(text))).toEqual([
      [1, 'a'],
      [2, ''],
      [3, 'b'],
      [4, 'c'],
    ])
  })

  it('an empty file has no lines', () => {
    const path = join(dir, 'c.txt')
    writeFileSync(path, '')
    expect(all(new FileLines(path))).toEqual([])
  })
})
