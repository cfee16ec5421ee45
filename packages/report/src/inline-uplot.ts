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

/**
 * The start of a self-contained aifab page, up to its <h1>: uPlot's style
 * sheet inlined, then the pages' shared style and `extraStyle`.
 */
export function pageHead(title: string, uplotCss: string, extraStyle = ''): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>aifab: ${escapeHtml(title)}</title>
<style>${uplotCss}
body { font: 14px system-ui, sans-serif; margin: 24px; color: #222; }
pre { background: #f6f6f6; padding: 12px; overflow-x: auto; }
.chart { margin: 24px 0; }
${extraStyle}</style>
</head>
<body>
<h1>aifab: ${escapeHtml(title)}</h1>`
}
