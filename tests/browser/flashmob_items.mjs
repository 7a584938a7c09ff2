// The flashmob's items for the browser tests of its feed, made the way their people make them:
// an organiser account made before the server starts, a short video made by ffmpeg, the author's
// tus upload and item through the HTTP API, and the organiser's approval.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { apiClient, kApi, kPassword } from './people.mjs';

export const kFlashmobIntake = '2020-06-20T10:00:00+08:00';

// ffmpeg's test pattern and tone for `seconds`, encoded by `codec` (ffmpeg's output options) into
// `work`/`name`; returns the file's bytes.
export async function testVideo(work, name, input, codec) {
  const path = join(work, name);
  const ff = spawnSync('/usr/bin/ffmpeg', [
    '-nostdin', '-loglevel', 'error', '-y',
    '-f', 'lavfi', '-i', input.video,
    '-f', 'lavfi', '-i', input.audio,
    ...codec, '-shortest', path,
  ]);
  assert.equal(ff.status, 0, String(ff.stderr));
  return new Uint8Array(await readFile(path));
}

// The author (a new account `email` on server `url`) sends `bytes` as `filename` by tus and makes
// a flashmob item of it with `fields` (work_kind, title, institution). Returns {item, author}.
export async function sendFlashmobItem(url, email, filename, bytes, fields) {
  const author = apiClient(url);
  const registered = await author('POST', '/api/auth/register', { email, password: kPassword, full_name: 'Анна' });
  assert.equal(registered.status, 201, registered.text);
  const created = await author('POST', `${kApi}/uploads?purpose=flashmob`, undefined, {
    'Tus-Resumable': '1.0.0',
    'Upload-Length': String(bytes.length),
    'Upload-Metadata': `filename ${Buffer.from(filename).toString('base64')}`,
  });
  assert.equal(created.status, 201, created.text);
  const patched = await author('PATCH', `/api/uploads/${created.json.id}`, bytes, {
    'Tus-Resumable': '1.0.0',
    'Content-Type': 'application/offset+octet-stream',
    'Upload-Offset': '0',
  });
  assert.equal(patched.status, 204, patched.text);
  const item = await author('POST', `${kApi}/flashmob/items`, { upload: created.json.id, ...fields });
  assert.equal(item.status, 201, item.text);
  return { item: item.json, author };
}

// The organiser `email` approves item `id` for the feed.
export async function approveFlashmobItem(url, email, id) {
  const organiser = apiClient(url);
  assert.equal((await organiser('POST', '/api/auth/login', { email, password: kPassword })).status, 200);
  const approved = await organiser('POST', `${kApi}/flashmob/items/${id}/decision`, { decision: 'approve' });
  assert.equal(approved.status, 200, approved.text);
}
