/** Two-sided 95% Student t quantiles for 1..30 degrees of freedom. */
const T95 = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042]

/** The 97.5% t quantile; beyond 30 degrees of freedom 1.96 + 2.5/df (within 0.002 of the table). */
export function t95(df: number): number {
  return df <= 30 ? T95[df - 1]! : 1.96 + 2.5 / df
}

/** Mean and the half-width of its 95% confidence interval (Student t); null half-width for one sample. */
export function meanCi95(xs: readonly number[]): { mean: number; halfWidth: number | null; n: number } {
  const n = xs.length
  const mean = xs.reduce((a, b) => a + b, 0) / n
  if (n < 2) return { mean, halfWidth: null, n }
  const sd = Math.sqrt(xs.reduce((a, x) => a + (x - mean) ** 2, 0) / (n - 1))
  return { mean, halfWidth: (t95(n - 1) * sd) / Math.sqrt(n), n }
}
