import { describe, expect, it } from 'vitest'
import { csvPieces, csvTable } from './render-csv.ts'

describe('csvPieces', () => {
  it('gives csvTable text in pieces, with a row per item', () => {
    const header = ['id', 'name', 'value']
    const row = (i: number) => [i, i % 1000 === 0 ? 'needs "quotes", and a comma' : `n${i}`, i % 7 === 0 ? null : i / 3]
    for (const n of [0, 1, 70_000]) {
      const items = Array.from({ length: n }, (_, i) => i)
      const pieces = [...csvPieces(header, items, row)]
      expect(pieces.join('')).toBe(csvTable(header, items.map(row)))
      // The header, then a piece per 32768 rows.
      expect(pieces.length).toBe(1 + Math.ceil(n / 32768))
    }
  })
})
