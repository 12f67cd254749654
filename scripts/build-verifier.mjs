#!/usr/bin/env node
// Builds the offline verifier page (custody verifier --out verifier.html): cli/src/verifier/page.ts
// with @custody/core and noble, bundled by esbuild for the browser into one inline script of one
// HTML file, cli/dist/verifier.html. The page's Content-Security-Policy allows that script alone (by
// its SHA-256), inline styles, and nothing else: no network request of any kind.
// Usage: node scripts/build-verifier.mjs [--out FILE]
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const outIndex = process.argv.indexOf('--out');
const out = outIndex > 0 ? process.argv[outIndex + 1] : join(root, 'cli/dist/verifier.html');

/** buildVerifierPage returns the page's HTML and what went into its script. */
export async function buildVerifierPage() {
  const result = await build({
    absWorkingDir: root,
    entryPoints: ['cli/src/verifier/page.ts'],
    bundle: true,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    conditions: ['source'],
    minify: true,
    legalComments: 'none',
    charset: 'utf8',
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  if (result.warnings.length > 0) throw new Error(`esbuild warnings: ${JSON.stringify(result.warnings)}`);
  const code = result.outputFiles[0].text;
  // Inline script content ends at the first "</script"; esbuild escapes it in strings, so any here is a bug.
  if (/<\/script/i.test(code) || /<!--/.test(code)) throw new Error('the bundled script contains "</script" or "<!--"');
  const hash = createHash('sha256').update(code, 'utf8').digest('base64');
  const csp = `default-src 'none'; script-src 'sha256-${hash}'; style-src 'unsafe-inline'; img-src 'none'; connect-src 'none'; form-action 'none'; base-uri 'none'`;
  const html = `<!doctype html>
<html lang="id">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="referrer" content="no-referrer">
<title>custody — pemeriksa bundel / bundle verifier</title>
</head>
<body>
<noscript>Halaman ini memerlukan JavaScript (tanpa jaringan). This page needs JavaScript (and no network).</noscript>
<script>${code}</script>
</body>
</html>
`;
  return { html, inputs: Object.keys(result.metafile.inputs) };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { html } = await buildVerifierPage();
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, html);
  process.stdout.write(`verifier page: ${out} (${html.length} bytes)\n`);
}
