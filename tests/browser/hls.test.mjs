// The flashmob feed as an adaptive stream in Chromium against the real server: a 480p-labelled
// video (tiny: 2 frames a second, a low bitrate, so the CI's two cores make it in seconds) gets its
// HLS ladder; on 7 July a viewer on a throttled link (about 1 Mbit/s, Chromium's own network
// emulation) plays it through hls.js on the lowest rendition and climbs once the throttle is lifted,
// a second viewer with «Экономия трафика» stays on the lowest however fast its link, both within
// half a second of each other and of the server's position, and the author's subtitles are a track.
// And a viewer who was watching the MP4 when the item's ladder was made moves to the stream at once,
// still within half a second of the server.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { launchBrowser, openPage, testId, waitUntil } from './browser.mjs';
import { binaryPath, startServer } from './server.mjs';
import { sendFlashmobItem } from './flashmob_items.mjs';
import { apiClient as client } from './people.mjs';

const kEvent = 'irkutsk-2020';
const kApi = `/api/events/${kEvent}`;
const kIntakeClock = '2020-06-20T10:00:00+08:00';
const kFeedClock = '2020-07-07T10:00:02+08:00';
const kSeconds = 90;
// About 1 Mbit/s down, as a weak mobile link: the 240p rendition (464 kbit/s declared) fits, 360p does not.
const kThrottled = { offline: false, latency: 80, downloadThroughput: 125_000, uploadThroughput: 60_000 };
const kOpen = { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 };

let browser;
let dataDir;
let work;

before(async () => {
  browser = await launchBrowser();
  dataDir = await mkdtemp(join(tmpdir(), 'praktika-browser-hls-'));
  work = await mkdtemp(join(tmpdir(), 'praktika-browser-hls-media-'));
});
after(async () => {
  await browser?.close();
  await rm(dataDir, { recursive: true, force: true });
  await rm(work, { recursive: true, force: true });
});

// A tiny 480p-labelled video of `seconds` (2 frames a second, a low bitrate): the CI's two cores make
// its ladder in seconds.
function makeVideo(path, seconds) {
  const ff = spawnSync('/usr/bin/ffmpeg', [
    '-nostdin', '-loglevel', 'error', '-y',
    '-f', 'lavfi', '-i', `testsrc=duration=${seconds}:size=854x480:rate=2`,
    '-f', 'lavfi', '-i', `sine=frequency=440:sample_rate=22050:duration=${seconds}`,
    '-c:v', 'libx264', '-preset', 'ultrafast', '-b:v', '100k', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-b:a', '32k', '-shortest', path,
  ]);
  assert.equal(ff.status, 0, String(ff.stderr));
}

function createOrganiser(dir, organiser) {
  const made = spawnSync(
    binaryPath,
    ['admin', 'create-user', '--data', dir, '--email', organiser.email, '--role', 'organiser', '--event', kEvent],
    { input: `${organiser.password}\n`, encoding: 'utf8' },
  );
  assert.equal(made.status, 0, made.stderr);
}

// Uploads `bytes` as a new author's flashmob video and submits it; returns the author's client and the item's id.
async function submitVideo(base, email, bytes) {
  const { item, author } = await sendFlashmobItem(base, email, 'Танец.mp4', bytes, {
    work_kind: 'dance', title: 'Вальс в четыре качества', institution: 'Центр помощи детям',
  });
  return { author, id: item.id };
}

async function approve(base, organiser, id) {
  const org = client(base);
  assert.equal((await org('POST', '/api/auth/login', organiser)).status, 200);
  assert.equal((await org('POST', `${kApi}/flashmob/items/${id}/decision`, { decision: 'approve' })).status, 200);
}

// What a player shows now: its time, whether it plays, its engine, rendition height and subtitles.
function player(page) {
  return page.evaluate(() => {
    const v = document.querySelector('[data-testid="feed-video"]');
    if (!v) return null;
    const track = v.textTracks[0];
    return {
      t: v.currentTime,
      paused: v.paused,
      engine: v.dataset.engine ?? null,
      level: v.dataset.level === undefined ? null : Number(v.dataset.level),
      loading: v.dataset.loading === undefined ? null : Number(v.dataset.loading),
      height: v.videoHeight,
      track: track ? { mode: track.mode, label: track.label, cues: track.cues ? track.cues.length : 0 } : null,
      buffered: Array.from({ length: v.buffered.length }, (_, i) => [v.buffered.start(i), v.buffered.end(i)]),
    };
  });
}

// Watches the player in front from now on: its time and engine every 20 ms, and every time the
// element shown is loaded anew ("emptied": what it showed is gone, the poster or nothing is seen).
function watchTheShownPlayer(page) {
  return page.evaluate(() => {
    const samples = [];
    const reloaded = [];
    const shown = () => document.querySelector('[data-testid="feed-video"]');
    const onEmptied = (e) => {
      if (e.target === shown()) reloaded.push({ engine: e.target.dataset.engine ?? null, at: performance.now() });
    };
    document.addEventListener('emptied', onEmptied, true);
    const timer = setInterval(() => {
      const v = shown();
      if (v) samples.push({ t: v.currentTime, engine: v.dataset.engine ?? null });
    }, 20);
    window.shownPlayer = {
      stop() {
        clearInterval(timer);
        document.removeEventListener('emptied', onEmptied, true);
        return { samples, reloaded };
      },
    };
  });
}

// The server's position and the player's time read at (nearly) one instant.
function inStep(page) {
  return page.evaluate(async (api) => {
    const v = document.querySelector('[data-testid="feed-video"]');
    const asked = performance.now();
    const now = await (await fetch(`${api}/flashmob/now`)).json();
    const half = (performance.now() - asked) / 2000;
    return { server: now.position + half, t: v.currentTime };
  }, kApi);
}

test('the feed plays its adaptive stream through hls.js: low on a slow link, up when it clears, held low by the saver, in step, with subtitles', async () => {
  const organiser = { email: 'org-hls@umc.ru', password: 'пароль организатора потока' };
  createOrganiser(dataDir, organiser);
  const video = join(work, 'dance.mp4');
  makeVideo(video, kSeconds);
  const bytes = new Uint8Array(await readFile(video));

  let server = await startServer({ clock: kIntakeClock, dataDir });
  const contexts = [];
  try {
    const { author, id } = await submitVideo(server.url, 'hls@dom.ru', bytes);
    const ready = await waitUntil('the HLS ladder', async () => (await author('GET', `${kApi}/flashmob/items/${id}`)).json,
      (j) => j?.hls?.state === 'ready' || j?.hls?.state === 'failed', 90000);
    assert.equal(ready.hls.state, 'ready', JSON.stringify(ready));
    assert.deepEqual(ready.hls.renditions.map((r) => r.name), ['240p', '360p', '480p']);
    const captions = await author('PUT', `${kApi}/flashmob/items/${id}/captions`,
      `1\r\n00:00:00,000 --> 00:01:30,000\r\nСубтитры вальса\r\n`, { 'Content-Type': 'application/octet-stream' });
    assert.equal(captions.status, 200, captions.text);

    await approve(server.url, organiser, id);
    await server.stop();

    server = await startServer({ clock: kFeedClock, dataDir });
    const url = `${server.url}/events/${kEvent}/flashmob`;

    // The slow viewer: throttled before the page loads anything.
    const slowContext = await browser.newContext();
    contexts.push(slowContext);
    const slow = await slowContext.newPage();
    slow.problems = [];
    slow.on('pageerror', (e) => slow.problems.push(`page error: ${e.message}`));
    const cdp = await slowContext.newCDPSession(slow);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', kThrottled);
    await slow.goto(url, { waitUntil: 'load' });

    // The saver's viewer on an open link: the switch turned on, remembered on the device.
    const saverContext = await browser.newContext();
    contexts.push(saverContext);
    const saver = await openPage(saverContext, url);
    await waitUntil('the saver switch', () => testId(saver, 'saver').count(), (n) => n > 0, 15000);
    await testId(saver, 'saver').check();
    assert.equal(await saver.evaluate(() => localStorage.getItem('praktika.flashmob.saver')), '1');

    for (const page of [slow, saver]) {
      const s = await waitUntil('playing through hls.js', () => player(page),
        (p) => p && p.engine === 'hls.js' && !p.paused && p.t > 2 && p.height > 0, 25000);
      assert.equal(s.engine, 'hls.js');
    }
    // On about 1 Mbit/s the slow viewer plays the lowest rendition without stalling.
    const before = await waitUntil('the slow viewer on the lowest', () => player(slow), (p) => p.height === 240, 10000);
    await new Promise((r) => setTimeout(r, 3000));
    const later = await player(slow);
    assert.ok(later.t - before.t > 2.4, `the throttled player stalled: ${before.t} → ${later.t}`);
    assert.equal(later.height, 240, JSON.stringify(later));

    // The saver holds the lowest however fast the link, and the subtitles are a showing track.
    await waitUntil('the saver on the lowest', () => player(saver), (p) => p.height === 240 && p.level === 0, 10000);
    await new Promise((r) => setTimeout(r, 2000));
    const held = await player(saver);
    assert.equal(held.height, 240, JSON.stringify(held));
    assert.equal(held.loading, 0, 'nothing above the lowest is fetched');
    await waitUntil('subtitles', () => player(saver), (p) => p.track && p.track.mode === 'showing' && p.track.cues === 1, 10000);
    assert.equal((await player(saver)).track.label, 'Субтитры (русский)');

    // Both in step with the server and each other.
    for (let i = 0; i < 3; i++) {
      const [a, b] = await Promise.all([player(slow), player(saver)]);
      assert.ok(Math.abs(a.t - b.t) < 0.5, `the two viewers are ${Math.abs(a.t - b.t)} s apart`);
      const step = await inStep(saver);
      assert.ok(Math.abs(step.server - step.t) < 0.5, `the saver's viewer is ${step.t - step.server} s off the server`);
      await new Promise((r) => setTimeout(r, 500));
    }

    // The link clears: the slow viewer fetches and then plays a higher rendition, still in step.
    await cdp.send('Network.emulateNetworkConditions', kOpen);
    await waitUntil('fetching a higher rendition', () => player(slow), (p) => p.loading > 0, 30000);
    const climbed = await waitUntil('playing a higher rendition', () => player(slow), (p) => p.height > 240, 30000);
    assert.ok(climbed.height > 240);
    const [a, b] = await Promise.all([player(slow), player(saver)]);
    assert.ok(Math.abs(a.t - b.t) < 0.5, `after the switch the two viewers are ${Math.abs(a.t - b.t)} s apart`);
    assert.equal(b.height, 240, 'the saver still holds the lowest');
    assert.deepEqual(slow.problems, []);
    assert.deepEqual(saver.problems, []);
  } finally {
    for (const c of contexts) await c.close();
    await server.stop();
  }
});

// ffmpeg as the server finds it on its PATH: the real one, except that the HLS ladder waits until the
// test opens the gate (a file), so the ladder is made while a viewer watches the MP4.
async function gatedFfmpeg(dir) {
  const gate = join(dir, 'gate');
  const script = join(dir, 'ffmpeg');
  await writeFile(script, `#!/bin/sh
case " $* " in *" hls "*) while [ ! -e '${gate}' ]; do sleep 0.1; done ;; esac
exec /usr/bin/ffmpeg "$@"
`);
  await chmod(script, 0o755);
  return { path: `${dir}:${process.env.PATH}`, open: () => writeFile(gate, '') };
}

// Starts the server with `path` as its PATH (the child inherits this process's environment).
async function startWithPath(path, options) {
  const saved = process.env.PATH;
  process.env.PATH = path;
  try {
    return await startServer(options);
  } finally {
    process.env.PATH = saved;
  }
}

test('a viewer watching the MP4 when the ladder is made moves to the stream mid-item, in step with the server', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'praktika-browser-hls-late-'));
  const organiser = { email: 'org-hls-late@umc.ru', password: 'пароль организатора потока' };
  createOrganiser(dir, organiser);
  const video = join(work, 'late.mp4');
  makeVideo(video, 60);
  const ffmpeg = await gatedFfmpeg(work);

  let server = await startWithPath(ffmpeg.path, { clock: kIntakeClock, dataDir: dir });
  let context;
  try {
    const { author, id } = await submitVideo(server.url, 'hls-late@dom.ru', new Uint8Array(await readFile(video)));
    // The MP4 plays; the ladder waits at the gate (and starts again after the restart).
    const waiting = await waitUntil('the MP4 ready, the ladder under way', async () => (await author('GET', `${kApi}/flashmob/items/${id}`)).json,
      (j) => j?.play?.state === 'ready' && j?.hls?.state === 'converting', 60000);
    assert.equal(waiting.hls.state, 'converting');
    await approve(server.url, organiser, id);
    await server.stop();

    server = await startWithPath(ffmpeg.path, { clock: kFeedClock, dataDir: dir });
    context = await browser.newContext();
    const page = await openPage(context, `${server.url}/events/${kEvent}/flashmob`);
    const mp4 = await waitUntil('playing the MP4', () => player(page), (p) => p && p.engine === 'mp4' && !p.paused && p.t > 1, 25000);
    assert.equal(mp4.level, null);
    const before = await inStep(page);
    assert.ok(Math.abs(before.server - before.t) < 0.5, `on the MP4 the viewer is ${before.t - before.server} s off the server`);

    // The ladder is made: the same viewer, without reloading, plays the stream from where the feed is,
    // and the picture in front never starts again from the poster on the way (no new load of the
    // element shown, no jump back in time).
    await watchTheShownPlayer(page);
    await ffmpeg.open();
    const moved = await waitUntil('playing through hls.js', () => player(page),
      (p) => p && p.engine === 'hls.js' && p.level !== null && !p.paused && p.height > 0, 60000);
    assert.ok(moved.t > mp4.t, `the stream started at ${moved.t} s, before the MP4's ${mp4.t} s`);
    const shown = await page.evaluate(() => window.shownPlayer.stop());
    assert.deepEqual(shown.reloaded, [], 'the element shown was loaded anew (the poster for a moment)');
    assert.ok(shown.samples.some((p) => p.engine === 'mp4') && shown.samples.some((p) => p.engine === 'hls.js'));
    for (let i = 1; i < shown.samples.length; i++) {
      const [before, after] = [shown.samples[i - 1], shown.samples[i]];
      assert.ok(after.t > before.t - 0.5,
        `the picture went back from ${before.t} s (${before.engine}) to ${after.t} s (${after.engine})`);
    }
    await new Promise((r) => setTimeout(r, 1500));
    for (let i = 0; i < 3; i++) {
      const step = await inStep(page);
      assert.ok(Math.abs(step.server - step.t) < 0.5, `on the stream the viewer is ${step.t - step.server} s off the server`);
      await new Promise((r) => setTimeout(r, 500));
    }
    assert.equal((await player(page)).paused, false);
    assert.deepEqual(page.problems, []);
  } finally {
    await context?.close();
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  }
});
