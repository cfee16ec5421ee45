import { describe, expect, it } from 'vitest'
import { csvPieces, csvTable } from './render-csv.ts'

describe('csvPieces', () => {
  it('writes a header and a row per item, quoting what needs it', () => {
    const rows = [[1, 'plain', 0.5], [2, 'needs "quotes", and a comma', null], [3, 'two\nlines', undefined]]
    expect(csvTable(['id', 'name', 'value'], rows)).toBe('id,name,value\n1,plain,0.5\n2,"needs ""quotes"", and a comma",\n3,"two\nlines",\n')
    expect(csvTable(['id'], [])).toBe('id\n')
  })

  it('hands a long table over in pieces of 32768 rows', () => {
    const items = Array.from({ length: 70_000 }, (_, i) => i)
    const pieces = [...csvPieces(['id', 'half'], items, (i) => [i, i / 2])]
    // The header, then a piece per 32768 rows.
    expect(pieces.length).toBe(1 + 3)
    const lines = pieces.join('').split('\n')
    expect(lines.length).toBe(1 + 70_000 + 1)
    expect([lines[0], lines[1], lines[70_000], lines[70_001]]).toEqual(['id,half', '0,0', '69999,34999.5', ''])
  })
})
