// Registration, login and logout through the page's own forms, against the real server.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { launchBrowser, openPage, testId, textOf, waitUntil } from './browser.mjs';
import { startServer } from './server.mjs';

let server;
let browser;

before(async () => {
  server = await startServer({ clock: '2020-06-20T12:00:00+08:00' });
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

const person = {
  name: 'Иванова Мария Петровна',
  email: `maria.${Date.now()}@example.org`,
  password: 'Praktika-2020-ochen-nadezhno',
};

async function openAuthDialog(page) {
  await testId(page, 'login-button').click();
  await testId(page, 'auth-dialog').waitFor({ state: 'visible' });
}

test('registers through the form, stays logged in after a reload, logs out, and logs in again', async () => {
  const context = await browser.newContext();
  const page = await openPage(context, server.url);

  await openAuthDialog(page);
  await testId(page, 'register-tab').click();
  await testId(page, 'auth-name').fill(person.name);
  await testId(page, 'auth-email').fill(person.email);
  await testId(page, 'auth-password').fill(person.password);
  await testId(page, 'auth-submit').click();

  await waitUntil('the name in the header', () => textOf(page, 'user-name'), (t) => t === person.name);
  assert.equal(await testId(page, 'auth-dialog').count(), 0, 'the dialog closes after registration');

  await page.reload();
  await waitUntil('the name after a reload', () => textOf(page, 'user-name'), (t) => t === person.name);

  await testId(page, 'logout-button').click();
  await testId(page, 'login-button').waitFor({ state: 'visible' });
  assert.equal(await testId(page, 'user-name').count(), 0);
  await page.reload();
  await testId(page, 'login-button').waitFor({ state: 'visible' });

  await openAuthDialog(page);
  await testId(page, 'auth-email').fill(person.email);
  await testId(page, 'auth-password').fill(person.password);
  await testId(page, 'auth-submit').click();
  await waitUntil('the name after login', () => textOf(page, 'user-name'), (t) => t === person.name);

  assert.deepEqual(page.problems, []);
  await context.close();
});

test('shows the server\'s Russian message for a wrong password and keeps the dialog open', async () => {
  const context = await browser.newContext();
  const page = await openPage(context, server.url);

  await openAuthDialog(page);
  await testId(page, 'auth-email').fill(`nobody.${Date.now()}@example.org`);
  await testId(page, 'auth-password').fill('wrong-password-123');
  await testId(page, 'auth-submit').click();

  const message = await waitUntil('an error message', () => textOf(page, 'auth-error'), (t) => !!t);
  assert.match(message, /[а-яё]/i, `not Russian: ${message}`);
  assert.equal(await testId(page, 'auth-dialog').isVisible(), true);
  assert.equal(await testId(page, 'user-name').count(), 0);

  assert.deepEqual(page.problems, []);
  await context.close();
});
