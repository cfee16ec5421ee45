import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['packages/*/src/**/*.test.ts', 'test/**/*.test.ts'],
    // Scenario tests run real simulations; the machines are 2-core and shared.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
})
