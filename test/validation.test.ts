// Every row of the validation suite (test/validation/validation-scenarios.ts)
// within its tolerance; `npm run validate` prints the same rows as a table.
import { describe, expect, it } from 'vitest'
import { VALIDATIONS } from './validation/validation-scenarios.ts'

describe('validation against theory', () => {
  for (const v of VALIDATIONS) {
    it(v.name, () => {
      for (const r of v.rows()) {
        expect(r.aifab, `${r.scenario}: model ${r.model}, tolerance ${r.tolerance}`).toBeGreaterThanOrEqual(r.low)
        expect(r.aifab, `${r.scenario}: model ${r.model}, tolerance ${r.tolerance}`).toBeLessThanOrEqual(r.high)
      }
    })
  }
})
