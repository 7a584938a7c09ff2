// The public flashmob feed in the browser against the real server: an author's video (made by
// ffmpeg here) approved by the organiser during the intake, then on 7 July two viewers open the
// feed a few seconds apart and play it in step, because the server is the clock.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { openPage, testId, textOf, waitUntil } from './browser.mjs';
import { approveFlashmobItem, kFlashmobIntake, sendFlashmobItem, testVideo } from './flashmob_items.mjs';
import { kApi, kEvent } from './people.mjs';
import { startServer } from './server.mjs';
import { useBrowser } from './setup.mjs';

const kFeedClock = '2020-07-07T10:00:20+08:00';
const kAgenda = JSON.parse(await readFile(new URL('../../agenda/irkutsk-2020.json', import.meta.url), 'utf8'));
const kOrganiser = 'org-flashmob@umc.ru';

const env = useBrowser({ tag: 'flashmob', users: [[kOrganiser, 'organiser', 'Организатор флешмоба']] });

// The works page's sentence before the feed, from the feed's start as the agenda writes it (the
// milestone its flashmob part names, in the agenda's own offset): «Работы появятся здесь 7 июля 2020 в 10:00.»
function worksAppear(agenda) {
  const opens = agenda.milestones.find((m) => m.id === agenda.flashmob.feed_starts).at;
  const dayMonth = new Intl.DateTimeFormat('ru-RU', { day: 'numeric', month: 'long', timeZone: 'UTC' })
    .format(new Date(`${opens.slice(0, 10)}T00:00Z`));
  return `Работы появятся здесь ${dayMonth} ${opens.slice(0, 4)} в ${opens.slice(11, 16)}.`;
}

// What the feed's player shows now: its time and whether it plays.
function player(page) {
  return page.evaluate(() => {
    const v = document.querySelector('[data-testid="feed-video"]');
    return v ? { t: v.currentTime, paused: v.paused } : null;
  });
}

test('two viewers of the public feed play the same video at the same position', async () => {
  // A browser-playable WebM (VP9 + Opus) of two minutes.
  const bytes = await testVideo(
    env.work,
    'dance.webm',
    { video: 'testsrc=duration=120:size=320x240:rate=5', audio: 'sine=frequency=440:duration=120' },
    ['-c:v', 'libvpx-vp9', '-deadline', 'realtime', '-cpu-used', '8', '-b:v', '200k', '-g', '10', '-c:a', 'libopus'],
  );

  let server = await startServer({ clock: kFlashmobIntake, dataDir: env.dataDir });
  let context;
  try {
    const { item, author } = await sendFlashmobItem(server.url, 'dance@dom.ru', 'Танец.webm', bytes, {
      work_kind: 'dance', title: 'Весенний вальс', institution: 'Центр помощи детям',
    });
    assert.equal(item.play.state, 'ready', 'a WebM needs no conversion');
    // Its adaptive stream is made before the feed starts, so the viewers play one source throughout:
    // a ladder finished mid-item moves every player to the stream at once (the journey of
    // hls.test.mjs), and were that to happen while the two are sampled here it would be a race.
    await waitUntil('the stream made', async () => (await author('GET', `${kApi}/flashmob/items/${item.id}`)).json,
      (j) => j?.hls?.state === 'ready', 90000);
    await approveFlashmobItem(server.url, kOrganiser, item.id);
    // Before the feed, the works page says when the works appear, in words that need no stage name.
    const early = await env.browser.newContext();
    try {
      const works = await openPage(early, `${server.url}/events/${kEvent}/flashmob/gallery`);
      const notice = () => works.locator('.flashmob-gallery p').first().innerText().catch(() => '');
      await waitUntil('the works page before the feed', notice, (t) => t === worksAppear(kAgenda));
    } finally {
      await early.close();
    }
    // With the agenda out of reach the feed keeps a heading, in words that name no event. (No service
    // worker: a request it forwards is out of the route's reach.)
    const offline = await env.browser.newContext({ serviceWorkers: 'block' });
    try {
      await offline.route(`**/api/events/${kEvent}`, (route) => route.abort());
      const cut = await openPage(offline, `${server.url}/events/${kEvent}/flashmob`);
      await waitUntil('the plain heading', () => cut.locator('h1').innerText().catch(() => ''), (t) => t === 'Трансляция работ');
      // The title follows the heading in an effect, after the paint that shows the heading.
      await waitUntil('the plain title', () => cut.title(), (t) => t === 'Трансляция работ');
    } finally {
      await offline.close();
    }
    await server.stop();

    server = await startServer({ clock: kFeedClock, dataDir: env.dataDir });
    context = await env.browser.newContext();
    const url = `${server.url}/events/${kEvent}/flashmob`;
    const first = await openPage(context, url);
    await waitUntil('first viewer playing', () => player(first), (s) => s && !s.paused && s.t > 0, 20000);
    // The page speaks the agenda's words: the flashmob stage's title and description, the kinds of work.
    const stage = kAgenda.stages.find((s) => s.id === 'flashmob');
    assert.equal(await first.locator('h1').innerText(), stage.title);
    assert.equal(await first.title(), stage.title);
    const about = await textOf(first, 'feed-about');
    assert.ok(about.startsWith(stage.description), about);
    for (const kind of kAgenda.files.flashmob.work_kinds)
      assert.ok(about.toLowerCase().includes(kind.title.toLowerCase()), `«${kind.title}» in «${about}»`);
    // The second viewer joins later: it must start where the feed is, not at 0.
    await new Promise((r) => setTimeout(r, 2000));
    const second = await openPage(context, url);
    for (const page of [first, second]) {
      await waitUntil('playing', () => player(page), (s) => s && !s.paused && s.t > 20, 20000);
      await waitUntil('two viewers', () => textOf(page, 'viewers'), (t) => t === 'Смотрят сейчас: 2', 10000);
    }
    assert.equal(await textOf(first, 'now-title'), await textOf(second, 'now-title'));
    for (const page of [first, second]) assert.equal(await testId(page, 'feed-video').getAttribute('data-engine'), 'hls.js');

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

    // From the feed, every work at one's own pace: the page with all works, titled from the agenda.
    await first.getByRole('link', { name: 'Все работы' }).click();
    const galleryTitle = `${stage.title}: все работы`;
    await waitUntil('the works page', () => first.locator('h1').innerText().catch(() => ''), (t) => t === galleryTitle);
    assert.equal(await first.title(), galleryTitle);
    const work = testId(first, 'gallery').locator('li', { hasText: 'Весенний вальс' });
    assert.ok((await work.innerText()).includes('Центр помощи детям'));
    await work.getByTestId('gallery-watch').click();
    await waitUntil('the work playing', () => first.evaluate(() => {
      const v = document.querySelector('[data-testid="gallery-video"]');
      return v ? { t: v.currentTime, paused: v.paused } : null;
    }), (v) => v && !v.paused && v.t > 0, 20000);
    assert.deepEqual(first.problems, []);
  } finally {
    await context?.close();
    await server.stop();
  }
});
