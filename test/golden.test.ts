// Golden scenarios (test/golden/golden.ts): each committed report must come
// out byte for byte the same.
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { SCENARIOS, goldenFile, runGolden } from './golden/golden.ts'

describe('golden scenarios', () => {
  for (const s of SCENARIOS) {
    it(`${s.name}: ${s.why}`, () => {
      const r = runGolden(s)
      expect(r.code, r.stderr).toBe(0)
      // Compared as text: a single moved digit fails (run `npm run golden:update` and say why in the commit).
      expect(r.report === readFileSync(goldenFile(s), 'utf8'), 'report differs from the golden file; npm run golden:update rewrites it').toBe(true)
    })
  }
})
