// The demo's data set (scripts/demo/seed.py: both events, every role, every stage's data) for the
// browser tests that read whole pages: a copy of PRAKTIKA_DEMO_DATA when it names a seeded one
// (scripts/test.sh seeds once), so a test's visits never change what another test reads; otherwise
// seeded afresh (about a minute). The demo's accounts share one password.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp } from 'node:fs/promises';
import { join } from 'node:path';
import { binaryPath, repoRoot, startServer } from './server.mjs';

export const kDemoPassword = 'praktika-demo';

// Makes the data set at `dataDir` (which must not exist yet).
export async function demoData(dataDir) {
  const given = process.env.PRAKTIKA_DEMO_DATA;
  if (given && existsSync(join(given, 'demo-seeded'))) {
    await cp(given, dataDir, { recursive: true });
    return;
  }
  const seeded = spawnSync('python3', [join(repoRoot, 'scripts', 'demo', 'seed.py'), '--binary', binaryPath, '--data', dataDir], {
    encoding: 'utf8',
  });
  assert.equal(seeded.status, 0, `${seeded.stdout}\n${seeded.stderr}`);
}

// The server with both of the demo's agendas on `dataDir`, at `clock`.
export function startDemoServer(dataDir, clock) {
  return startServer({
    clock,
    dataDir,
    agenda: join(repoRoot, 'agenda', 'irkutsk-2020.json'),
    args: ['--agenda', join(repoRoot, 'agenda', 'contest-2025.json')],
  });
}
