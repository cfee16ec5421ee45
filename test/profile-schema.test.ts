// The documented schema and the parser must describe the same profile fields,
// and every shipped profile must parse.
import { readFileSync, readdirSync } from 'node:fs'
import { parseProfile } from '@aifab/topology'
import { PROFILE_FLAGS } from '@aifab/cli'
import { describe, expect, it } from 'vitest'

const dir = new URL('../configs/profiles/', import.meta.url)
const schema = JSON.parse(readFileSync(new URL('profile.schema.json', dir), 'utf8'))

describe('profile schema', () => {
  for (const f of readdirSync(dir).filter((f) => f.endsWith('.json') && f !== 'profile.schema.json')) {
    it(`${f} parses and uses exactly the schema's fields`, () => {
      const json = JSON.parse(readFileSync(new URL(f, dir), 'utf8'))
      expect(() => parseProfile(json, f)).not.toThrow()
      expect(Object.keys(json.nic).sort()).toEqual(Object.keys(schema.properties.nic.properties).sort())
      expect(Object.keys(json.switch).sort()).toEqual(Object.keys(schema.properties.switch.properties).sort())
    })
  }
  it('every profile field has a command-line flag', () => {
    const paths = [
      ...Object.keys(schema.properties.switch.properties).map((k) => `switch.${k}`),
      ...Object.keys(schema.properties.nic.properties).map((k) => `nic.${k}`),
    ]
    expect(Object.values(PROFILE_FLAGS).sort()).toEqual(paths.sort())
  })
})
