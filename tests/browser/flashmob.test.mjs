// The public flashmob feed in the browser against the real server: an author's video (made by
// ffmpeg here) approved by the organiser during the intake, then on 7 July two viewers open the
// feed a few seconds apart and play it in step, because the server is the clock.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { launchBrowser, openPage, testId, textOf, waitUntil } from './browser.mjs';
import { binaryPath, startServer } from './server.mjs';

const kEvent = 'irkutsk-2020';
const kApi = `/api/events/${kEvent}`;
const kIntakeClock = '2020-06-20T10:00:00+08:00';
const kFeedClock = '2020-07-07T10:00:20+08:00';

let browser;
let dataDir;
let work;

before(async () => {
  browser = await launchBrowser();
  dataDir = await mkdtemp(join(tmpdir(), 'praktika-browser-flashmob-'));
  work = await mkdtemp(join(tmpdir(), 'praktika-browser-flashmob-media-'));
});
after(async () => {
  await browser?.close();
  await rm(dataDir, { recursive: true, force: true });
  await rm(work, { recursive: true, force: true });
});

// A small client with one cookie, for seeding through the API.
function client(base) {
  let cookie = '';
  return async (method, path, body, headers = {}) => {
    const isJson = body !== undefined && !(body instanceof Uint8Array);
    const r = await fetch(base + path, {
      method,
      headers: { Origin: new URL(base).origin, ...(isJson ? { 'Content-Type': 'application/json' } : {}), ...(cookie ? { Cookie: cookie } : {}), ...headers },
      body: isJson ? JSON.stringify(body) : body,
    });
    const set = r.headers.get('set-cookie');
    if (set) cookie = set.split(';')[0];
    const text = await r.text();
    let json = null;
    try {
      json = JSON.parse(text);
    } catch {
      json = null;
    }
    return { status: r.status, json, text };
  };
}

test('two viewers of the public feed play the same video at the same position', async () => {
  const organiser = { email: 'org-flashmob@umc.ru', password: 'пароль организатора флешмоба' };
  const made = spawnSync(
    binaryPath,
    ['admin', 'create-user', '--data', dataDir, '--email', organiser.email, '--role', 'organiser', '--event', kEvent],
    { input: `${organiser.password}\n`, encoding: 'utf8' },
  );
  assert.equal(made.status, 0, made.stderr);

  // A browser-playable WebM (VP9 + Opus) of two minutes.
  const video = join(work, 'dance.webm');
  const ff = spawnSync('/usr/bin/ffmpeg', [
    '-nostdin', '-loglevel', 'error', '-y',
    '-f', 'lavfi', '-i', 'testsrc=duration=120:size=320x240:rate=5',
    '-f', 'lavfi', '-i', 'sine=frequency=440:duration=120',
    '-c:v', 'libvpx-vp9', '-deadline', 'realtime', '-cpu-used', '8', '-b:v', '200k', '-g', '10',
    '-c:a', 'libopus', '-shortest', video,
  ]);
  assert.equal(ff.status, 0, String(ff.stderr));
  const bytes = new Uint8Array(await readFile(video));

  let server = await startServer({ clock: kIntakeClock, dataDir });
  let context;
  try {
    const author = client(server.url);
    assert.equal((await author('POST', '/api/auth/register', { email: 'dance@dom.ru', password: 'пароль участника', full_name: 'Анна' })).status, 201);
    const created = await author('POST', `${kApi}/uploads?purpose=flashmob`, undefined, {
      'Tus-Resumable': '1.0.0',
      'Upload-Length': String(bytes.length),
      'Upload-Metadata': `filename ${Buffer.from('Танец.webm').toString('base64')}`,
    });
    assert.equal(created.status, 201, created.text);
    const patched = await author('PATCH', `/api/uploads/${created.json.id}`, bytes, {
      'Tus-Resumable': '1.0.0',
      'Content-Type': 'application/offset+octet-stream',
      'Upload-Offset': '0',
    });
    assert.equal(patched.status, 204, patched.text);
    const item = await author('POST', `${kApi}/flashmob/items`, {
      upload: created.json.id, work_kind: 'dance', title: 'Весенний вальс', institution: 'Центр помощи детям',
    });
    assert.equal(item.status, 201, item.text);
    assert.equal(item.json.play.state, 'ready', 'a WebM needs no conversion');

    const org = client(server.url);
    assert.equal((await org('POST', '/api/auth/login', organiser)).status, 200);
    const approved = await org('POST', `${kApi}/flashmob/items/${item.json.id}/decision`, { decision: 'approve' });
    assert.equal(approved.status, 200, approved.text);
    await server.stop();

    server = await startServer({ clock: kFeedClock, dataDir });
    context = await browser.newContext();
    const url = `${server.url}/events/${kEvent}/flashmob`;
    const first = await openPage(context, url);
    await waitUntil('first viewer playing', () => first.evaluate(() => {
      const v = document.querySelector('[data-testid="feed-video"]');
      return v ? { t: v.currentTime, paused: v.paused } : null;
    }), (s) => s && !s.paused && s.t > 0, 20000);
    // The second viewer joins later: it must start where the feed is, not at 0.
    await new Promise((r) => setTimeout(r, 2000));
    const second = await openPage(context, url);
    for (const page of [first, second]) {
      await waitUntil('playing', () => page.evaluate(() => {
        const v = document.querySelector('[data-testid="feed-video"]');
        return v ? { t: v.currentTime, paused: v.paused } : null;
      }), (s) => s && !s.paused && s.t > 20, 20000);
      await waitUntil('two viewers', () => textOf(page, 'viewers'), (t) => t === 'Смотрят сейчас: 2', 10000);
    }
    assert.equal(await textOf(first, 'now-title'), await textOf(second, 'now-title'));

    // Both players are sampled at (nearly) the same instant, a few times.
    const read = (page) => page.evaluate(() => document.querySelector('[data-testid="feed-video"]').currentTime);
    for (let i = 0; i < 3; i++) {
      const [a, b] = await Promise.all([read(first), read(second)]);
      assert.ok(Math.abs(a - b) < 0.5, `currentTime ${a} and ${b} differ by more than half a second`);
      await new Promise((r) => setTimeout(r, 700));
    }
    assert.deepEqual(first.problems, []);
    assert.deepEqual(second.problems, []);
    assert.ok((await testId(first, 'feed').getAttribute('data-state')) === 'playing');
  } finally {
    await context?.close();
    await server.stop();
  }
});
