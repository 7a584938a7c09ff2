// The front end's structure, kept by reading its sources (no browser, no server): pages are
// leaves that import no other page, lib/ imports neither pages nor components, no page or component speaks HTTP itself (every request and
// every API address is a typed function of web/src/lib/endpoints/), and a person's roles are read
// only through lib/roles.ts. Each rule names the files that break it.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const src = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'web', 'src');

function sourcesUnder(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...sourcesUnder(path));
    else if (/\.(ts|tsx)$/.test(name)) out.push(path);
  }
  return out;
}

// The modules a file imports, resolved to paths under src without their extension.
function importsOf(file) {
  const text = readFileSync(file, 'utf8');
  const out = [];
  for (const m of text.matchAll(/^\s*(?:import|export)\b[^'"]*?from\s+['"]([^'"]+)['"]/gm)) {
    const spec = m[1];
    if (spec.startsWith('.')) out.push(relative(src, resolve(dirname(file), spec)));
  }
  return out;
}

// The lines of `files` that match `pattern`, as "file:line: text" for the failure message.
function offending(files, pattern) {
  const out = [];
  for (const file of files) {
    readFileSync(file, 'utf8')
      .split('\n')
      .forEach((line, i) => {
        if (pattern.test(line)) out.push(`${relative(src, file)}:${i + 1}: ${line.trim()}`);
      });
  }
  return out;
}

const pages = sourcesUnder(join(src, 'pages'));
const components = sourcesUnder(join(src, 'components'));
const views = [...pages, ...components];

test('no page imports another page, and no component imports a page', () => {
  const wrong = [];
  for (const file of views) {
    for (const target of importsOf(file)) {
      if (target.startsWith('pages/')) wrong.push(`${relative(src, file)} imports ${target}`);
    }
  }
  assert.deepEqual(wrong, []);
});

test('lib/ imports no component and no page: the layers run one way', () => {
  const wrong = [];
  for (const file of sourcesUnder(join(src, 'lib'))) {
    for (const target of importsOf(file)) {
      if (target.startsWith('pages/') || target.startsWith('components/')) wrong.push(`${relative(src, file)} imports ${target}`);
    }
  }
  assert.deepEqual(wrong, []);
});

test('no page or component sends a request or spells an API address: they call lib/endpoints', () => {
  const requests = offending(views, /\bapi\.(get|post|put|patch|delete)\b|\bfetch\(|\brequest\s*[<(]|\bupload\s*[<(]/);
  const addresses = offending(views, /['"`]\/api\//);
  const clients = [];
  for (const file of views) {
    const text = readFileSync(file, 'utf8');
    const m = /import\s*\{([^}]*)\}\s*from\s*['"][./]*lib\/api['"]/.exec(text);
    if (m && /\b(api|request|upload)\b(?!\s*as)/.test(m[1].replace(/\btype\s+\w+/g, ''))) clients.push(relative(src, file));
  }
  assert.deepEqual({ requests, addresses, clients }, { requests: [], addresses: [], clients: [] });
});

test('the endpoint modules are the only place outside lib/api.ts that builds an /api/ path', () => {
  const lib = sourcesUnder(join(src, 'lib')).filter((f) => !f.includes(`${join('lib', 'endpoints')}`) && !f.endsWith(join('lib', 'api.ts')));
  // router.ts only recognises /api/ links to leave them to the browser.
  const wrong = offending(lib, /['"`]\/api\//).filter((line) => !line.startsWith('lib/router.ts:'));
  assert.deepEqual(wrong, []);
});

test('roles are read through lib/roles.ts: no page or component looks into me.roles', () => {
  assert.deepEqual(offending(views, /\bme\??\.roles\b|\.roles\s*\?\?\s*\[\]\)\.some/), []);
});
