import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)

/** uPlot's script and style sheet, to inline into a self-contained page (report.html, sweep.html): no network. */
export const inlineUplot = () => ({
  js: readFileSync(require.resolve('uplot/dist/uPlot.iife.min.js'), 'utf8'),
  css: readFileSync(require.resolve('uplot/dist/uPlot.min.css'), 'utf8'),
})

export const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')

/** JSON that can sit inside a <script> element. */
export const scriptJson = (v: unknown) => JSON.stringify(v).replace(/</g, '\\u003c')
