import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)

// The same loader as render-html.ts's (private there): uPlot inlined, so a page needs no network.
/** uPlot's script and style sheet, to inline into a self-contained page. */
export const inlineUplot = () => ({
  js: readFileSync(require.resolve('uplot/dist/uPlot.iife.min.js'), 'utf8'),
  css: readFileSync(require.resolve('uplot/dist/uPlot.min.css'), 'utf8'),
})

export const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')

/** JSON that can sit inside a <script> element. */
export const scriptJson = (v: unknown) => JSON.stringify(v).replace(/</g, '\\u003c')
