// Starts the real praktika server for a browser test: a fresh data directory, the repository's
// agenda and built web front end, and a chosen clock. Resolves once the server prints its
// "listening" line; stop() sends SIGTERM, waits for the exit and removes the data directory.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const binaryPath = process.env.PRAKTIKA_BINARY ?? join(repoRoot, 'build', 'praktika');
export const agendaPath = join(repoRoot, 'agenda', 'irkutsk-2020.json');
export const webRoot = join(repoRoot, 'web', 'dist');

const kListening = /praktika: listening on (http:\/\/127\.0\.0\.1:(\d+))/;
const kStartTimeoutMs = 20_000;
const kStopTimeoutMs = 10_000;

export async function loadAgenda(path = agendaPath) {
  return JSON.parse(await readFile(path, 'utf8'));
}

// The shipped agenda with the organiser's requisites filled in (its contract is issued), written
// into `dir`; returns the file's path for startServer's `agenda`.
export async function agendaWithRequisites(dir) {
  const agenda = await loadAgenda();
  agenda.fees.contract = {
    recipient: 'ОГБУ ДПО «Учебно-методический центр развития социального обслуживания»',
    inn: '3811000007',
    kpp: '381101001',
    bank: 'Отделение Иркутск Банка России',
    bik: '042520001',
    account: '40601810000003000001',
    correspondent_account: '30101810000000000607',
    payment_purpose: 'Организационный взнос за участие в интернет-конференции',
  };
  const path = join(dir, 'irkutsk-2020-requisites.json');
  await writeFile(path, JSON.stringify(agenda));
  return path;
}

/**
 * `dataDir` runs the server on an existing data directory and leaves it in place on stop (a test
 * that restarts the server at another clock on the same data); otherwise a fresh one is removed.
 * @param {{clock?: string, clockSpeed?: number, redis?: string, agenda?: string, web?: string, args?: string[], dataDir?: string}} options
 * @returns {Promise<{url: string, port: number, dataDir: string, output: () => string, stop: () => Promise<number|null>}>}
 */
export async function startServer(options = {}) {
  if (!existsSync(binaryPath)) {
    throw new Error(`no server binary at ${binaryPath}: build it (ninja -C build praktika) or set PRAKTIKA_BINARY`);
  }
  const web = options.web ?? webRoot;
  if (!existsSync(join(web, 'index.html'))) {
    throw new Error(`no built front end at ${web}: run "npm ci && npm run build" in web/`);
  }

  const ownDataDir = !options.dataDir;
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'praktika-browser-')));
  const args = ['serve', '--port', '0', '--data', dataDir, '--agenda', options.agenda ?? agendaPath, '--web', web];
  if (options.clock) args.push('--clock', options.clock);
  if (options.clockSpeed !== undefined) args.push('--clock-speed', String(options.clockSpeed));
  if (options.redis) args.push('--redis', options.redis);
  if (options.args) args.push(...options.args);

  const child = spawn(binaryPath, args, { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const exited = new Promise((resolveExit) => {
    child.once('exit', (code, signal) => resolveExit(code ?? signal));
  });

  let url;
  try {
    url = await new Promise((resolveUrl, reject) => {
      let lineBuffer = '';
      const timer = setTimeout(
        () => reject(new Error(`server did not report listening within ${kStartTimeoutMs} ms`)),
        kStartTimeoutMs,
      );
      child.stdout.setEncoding('utf8');
      child.stderr.setEncoding('utf8');
      child.stdout.on('data', (chunk) => {
        output += chunk;
        lineBuffer += chunk;
        const lines = lineBuffer.split('\n');
        lineBuffer = lines.pop() ?? '';
        for (const line of lines) {
          const m = kListening.exec(line);
          if (m) {
            clearTimeout(timer);
            resolveUrl(m[1]);
          }
        }
      });
      child.stderr.on('data', (chunk) => {
        output += chunk;
      });
      child.once('error', (e) => {
        clearTimeout(timer);
        reject(e);
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`server exited before listening (${code ?? signal})`));
      });
    });
  } catch (e) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
    if (ownDataDir) await rm(dataDir, { recursive: true, force: true });
    throw new Error(`${e.message}\n$ ${binaryPath} ${args.join(' ')}\n--- server output ---\n${output}`);
  }

  let stopped = null;
  const stop = () => {
    stopped ??= (async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), kStopTimeoutMs);
        await exited;
        clearTimeout(timer);
      }
      if (ownDataDir) await rm(dataDir, { recursive: true, force: true });
      return child.exitCode;
    })();
    return stopped;
  };

  return { url, port: Number(new URL(url).port), dataDir, output: () => output, stop };
}

// "2020-07-06T23:59:57+08:00" for an instant `ms` shown at `offset` ("+08:00").
export function formatInstant(ms, offset) {
  const m = /^([+-])(\d{2}):(\d{2})$/.exec(offset);
  if (!m) throw new Error(`bad offset ${offset}`);
  const minutes = (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]));
  const d = new Date(ms + minutes * 60_000);
  const pad = (n) => String(n).padStart(2, '0');
  return (
    `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}` +
    `T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}${offset}`
  );
}
