// A Vite plugin in plain JavaScript (the type check of web/ has no node types): see precompress.d.mts.
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';

const gzipAsync = promisify(gzip);
const brotliAsync = promisify(brotliCompress);

// Text files are written again beside themselves as name.gz and name.br, at the strongest levels
// (done once per build, not per request): the server sends the one the browser accepts
// (server/net/static_files.h). A copy that saves nothing is not written.
export function precompress() {
  let outDir = 'dist';
  const compressible = /\.(js|mjs|css|html|svg|json|txt)$/;
  async function walk(dir) {
    const found = [];
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) found.push(...(await walk(path)));
      else if (compressible.test(entry.name)) found.push(path);
    }
    return found;
  }
  return {
    name: 'praktika-precompress',
    apply: 'build',
    configResolved(config) {
      outDir = config.build.outDir;
    },
    async closeBundle() {
      for (const file of await walk(outDir)) {
        const bytes = await readFile(file);
        const [gz, br] = await Promise.all([
          gzipAsync(bytes, { level: 9 }),
          brotliAsync(bytes, {
            params: {
              [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
              [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
            },
          }),
        ]);
        if (gz.length < bytes.length) await writeFile(`${file}.gz`, gz);
        if (br.length < bytes.length) await writeFile(`${file}.br`, br);
      }
    },
  };
}

// Preact's JSX through esbuild's automatic runtime: no Babel plugin, nothing more to install.
// The server sends a strict Content-Security-Policy, so the build must emit no inline script or
// style: the module-preload polyfill (an inline helper in some setups) is off, Chromium needs none.
