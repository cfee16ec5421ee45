import { describe, expect, it } from 'vitest'
import { jsonErrorText } from './json-error.ts'

const complaint = (text: string) => {
  try {
    JSON.parse(text)
  } catch (e) {
    return jsonErrorText(e, text)
  }
  throw new Error('parsed')
}

describe('jsonErrorText', () => {
  it('adds the line and column of the position JSON.parse names', () => {
    expect(complaint('{\n  "a": 1,\n  b: 2\n}')).toMatch(/at position 14 \(line 3, column 3\)$/)
    expect(complaint('{"a": 1,}')).toMatch(/at position 8 \(line 1, column 9\)$/)
  })
  it('leaves a message without a position, or with a line already, as it is', () => {
    expect(complaint('{"a": ')).toBe('Unexpected end of JSON input')
    const newer = 'Expected double-quoted property name in JSON at position 14 (line 3 column 3)'
    expect(jsonErrorText(new SyntaxError(newer), '{\n  "a": 1,\n  b: 2\n}')).toBe(newer)
  })
})
