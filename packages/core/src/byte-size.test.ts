import { describe, expect, it } from 'vitest'
import { formatByteSize, parseByteSize } from './byte-size.ts'

describe('byte sizes', () => {
  it('parses plain, SI and binary units', () => {
    expect(parseByteSize('1048576')).toBe(1048576)
    expect(parseByteSize('64MiB')).toBe(64 * 1024 * 1024)
    expect(parseByteSize('2MB')).toBe(2e6)
    expect(parseByteSize('4k')).toBe(4096)
    expect(parseByteSize('1.5KiB')).toBe(1536)
  })
  it('rejects the rest', () => {
    expect(parseByteSize('lots')).toBeNaN()
    expect(parseByteSize('10 parsecs')).toBeNaN()
    expect(parseByteSize('0.3B')).toBeNaN()
  })
  it('formats', () => {
    expect(formatByteSize(64 * 1024 * 1024)).toBe('64 MiB')
    expect(formatByteSize(100)).toBe('100 B')
  })
})
