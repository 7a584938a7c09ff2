// The gallery's moderation view: every comment of the practices the person moderates (the
// organiser: all), the ones participants flagged as abusive first with their counts and reasons.
// A moderator hides a comment (it leaves every reader's page at once) or clears its flags.
// Refreshed every few seconds, so new flags come up while the page is open.
import { useEffect, useRef, useState } from 'preact/hooks';
import { messageOf } from '../lib/api';
import { useAuth } from '../lib/auth';
import * as gallery from '../lib/endpoints/gallery';
import { flagReasons, type ModeratedComment, type ModerationList } from '../lib/gallery';
import { useLoad } from '../lib/hooks';
import { useEventContext, wordsOf, type EventContext } from '../lib/intake';
import { formatDateTime } from '../lib/time';
import { textOf } from '../lib/types';
import { Breadcrumbs } from '../components/common/Breadcrumbs';
import { LoadError, Loading, LoginNeeded } from '../components/common/Message';

const kTitle = 'Модерация обсуждений галереи';

export function GalleryModerationPage({ id }: { id: string }) {
  const auth = useAuth();
  const ctx = useEventContext(id);
  useEffect(() => {
    document.title = kTitle;
  }, []);
  if (auth.me === undefined || ctx.status === 'loading') return <Loading />;
  if (auth.me === null) return <LoginNeeded what="модерировать обсуждения галереи" />;
  if (ctx.status === 'error') return <LoadError title="Не удалось загрузить мероприятие" message={ctx.message} />;
  return <Moderation ctx={ctx.data} />;
}

function Moderation({ ctx }: { ctx: EventContext }) {
  const list = useLoad(`gallery-moderation:${ctx.id}`, (signal) => gallery.moderation(ctx.id, signal));
  // The last answer stays on screen while a refresh is under way or fails.
  const shown = useRef<ModerationList | null>(null);
  if (list.status === 'ok') shown.current = list.data;
  const data = shown.current;
  useEffect(() => {
    const timer = setInterval(() => list.reload(), 5000);
    return () => clearInterval(timer);
  }, [ctx.id]);
  const base = `/events/${encodeURIComponent(ctx.id)}`;
  const words = wordsOf(ctx.agenda);
  if (!data && list.status === 'error') return <LoadError title={kTitle} message={list.message} />;
  if (!data) return <Loading />;
  const comments = data.comments ?? [];
  const flagged = comments.filter((c) => (c.flags ?? 0) > 0).length;
  return (
    <article data-testid="gallery-moderation">
      <Breadcrumbs
        items={[
          { href: base, title: textOf(ctx.agenda.title) || ctx.id },
          { href: `${base}/gallery`, title: `Галерея ${words.genitivePlural}` },
          { title: kTitle },
        ]}
      />
      <h1>{kTitle}</h1>
      <p class="muted" data-testid="moderation-summary">
        {flagged > 0 ? `Комментариев с жалобами: ${flagged}. Они показаны первыми.` : 'Жалоб на комментарии нет.'}
      </p>
      {comments.length === 0 ? (
        <p class="muted">Комментариев пока нет.</p>
      ) : (
        <ul class="comments">
          {comments.map((c) => (
            <li key={c.id}>
              <Moderated ctx={ctx} comment={c} onChanged={list.reload} />
            </li>
          ))}
        </ul>
      )}
    </article>
  );
}

// The reasons of a comment's open flags in words: «Оскорбление или грубость — 2, без причины — 1».
function reasonsText(ctx: EventContext, reasons: Record<string, number> | undefined): string {
  const titles = new Map(flagReasons(ctx.agenda).map((r) => [r.id, r.title]));
  return Object.entries(reasons ?? {})
    .map(([id, n]) => `${id ? titles.get(id) ?? id : 'без причины'} — ${n}`)
    .join(', ');
}

function Moderated({ ctx, comment: c, onChanged }: { ctx: EventContext; comment: ModeratedComment; onChanged: () => void }) {
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const act = async (work: () => Promise<unknown>) => {
    setBusy(true);
    try {
      await work();
      setError('');
      onChanged();
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };
  const practice = c.practice ?? 0;
  const flags = c.flags ?? 0;
  return (
    <div class="comment" data-testid={`moderated-${c.id}`} data-flags={String(flags)} data-state={c.hidden ? 'hidden' : 'shown'}>
      <p class="comment__meta">
        <a href={`/events/${encodeURIComponent(ctx.id)}/gallery/${practice}`}>{c.practice_title || `№ ${practice}`}</a> · секция {c.section} ·{' '}
        <strong>{c.author?.full_name}</strong> · {formatDateTime(c.created_at, ctx.offset)}
        {c.hidden ? ' · скрыт' : ''}
      </p>
      <p class="comment__text" data-testid="moderated-text">
        {c.text}
      </p>
      {flags > 0 && (
        <p class="form__error" data-testid="moderated-flags">
          Жалоб: {flags} ({reasonsText(ctx, c.reasons)}), последняя {formatDateTime(c.flagged_at, ctx.offset)}
        </p>
      )}
      <div class="form__row">
        <button
          type="button"
          class="button button--quiet button--small"
          disabled={busy}
          data-testid="moderated-hide"
          onClick={() => act(() => gallery.hideComment(ctx.id, practice, c.id, !c.hidden))}
        >
          {c.hidden ? 'Показать' : 'Скрыть'}
        </button>
        {flags > 0 && (
          <button type="button" class="button button--quiet button--small" disabled={busy} data-testid="moderated-clear" onClick={() => act(() => gallery.clearFlags(ctx.id, practice, c.id))}>
            Снять жалобы
          </button>
        )}
      </div>
      {error && (
        <p class="form__error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
