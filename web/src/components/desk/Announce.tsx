// The desk's form for an announcement.
import { useState } from 'preact/hooks';
import * as events from '../../lib/endpoints/events';
import type { EventContext } from '../../lib/intake';
import { useAction } from '../common/useAction';

// An announcement of changed conditions: on the event page at once, and a letter to everyone registered.
export function Announce({ ctx }: { ctx: EventContext }) {
  const [title, setTitle] = useState('');
  const [text, setText] = useState('');
  const { busy, done, error, run } = useAction();
  const send = () =>
    run(async () => {
      const r = await events.announce(ctx.id, title, text);
      setTitle('');
      setText('');
      return `Объявление опубликовано на странице мероприятия; писем участникам в очереди: ${r.letters ?? 0}.`;
    });
  return (
    <section class="card" aria-labelledby="desk-announce" data-testid="desk-announce">
      <h2 id="desk-announce">Объявление об изменении условий</h2>
      <p class="muted">Появится на странице мероприятия и уйдёт письмом всем, кто заполнил регистрационную заявку (пункт 3.2.1 положения).</p>
      <div class="field">
        <label class="field__label" for="announce-title">
          Заголовок
        </label>
        <input id="announce-title" data-testid="announce-title" value={title} maxLength={200} onInput={(e) => setTitle(e.currentTarget.value)} />
      </div>
      <div class="field">
        <label class="field__label" for="announce-text">
          Текст
        </label>
        <textarea id="announce-text" data-testid="announce-text" rows={5} value={text} onInput={(e) => setText(e.currentTarget.value)} />
      </div>
      <button
        type="button"
        class="button button--primary"
        data-testid="announce-send"
        disabled={busy || !title.trim() || !text.trim()}
        onClick={() => void send()}
      >
        {busy ? 'Публикуем…' : 'Опубликовать и разослать'}
      </button>
      {done && (
        <p class="callout callout--ok" role="status" data-testid="announce-done">
          {done}
        </p>
      )}
      {error && (
        <p class="callout callout--error" role="alert" data-testid="announce-error">
          {error}
        </p>
      )}
    </section>
  );
}
