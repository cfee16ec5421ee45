import { describe, expect, it } from 'vitest'
import { FieldReader, InputWarnings } from './input-error.ts'

describe('FieldReader', () => {
  const r = new FieldReader('p.json', 'nic', new InputWarnings())
  it('names the field, what was expected and what was found', () => {
    expect(() => r.number({ rtoUs: 'x' }, 'rtoUs', { min: 1 })).toThrow('p.json: nic.rtoUs: expected a number >= 1, got "x"')
    expect(() => r.number({}, 'rtoUs', { min: 1 })).toThrow('p.json: nic.rtoUs: expected a number >= 1, got nothing (missing)')
  })
  it('points a missing field at a key that differs only in case, dashes or underscores', () => {
    expect(() => r.number({ windowBDP: 2 }, 'windowBdp', {})).toThrow('got nothing (missing; the file has "windowBDP": a misspelling?)')
    expect(() => r.oneOf({ 'entropy_policy': 'fixed' }, 'entropyPolicy', ['fixed'])).toThrow('the file has "entropy_policy"')
    expect(() => r.string({ windowBdp: 1 }, 'name')).toThrow('got nothing (missing)')
  })
  it('says a missing format is missing', () => {
    expect(() => r.versionedObject({ version: 1 }, 'aifab.profile', 1, ['format', 'version'])).toThrow('format: expected "aifab.profile", got nothing (missing)')
  })
})
