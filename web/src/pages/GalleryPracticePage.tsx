// One practice of the gallery: all 17 fields, its type and institution, its materials (photos,
// videos streamed from the uploads' file route, the Word document as page images with its
// formatting findings), how many
// people are on the page now, and its discussion, updated live for everyone on the page.
import { useEffect, useRef, useState } from 'preact/hooks';
import { useAuth } from '../lib/auth';
import * as gallery from '../lib/endpoints/gallery';
import { usePresence, type CommentList, type GalleryComment, type GalleryPractice } from '../lib/gallery';
import { useLoad } from '../lib/hooks';
import { outcomeTitle, useEventContext, wordsOf, type EventContext } from '../lib/intake';
import { textOf } from '../lib/types';
import { PracticeAnswers } from '../components/PracticeAnswers';
import { CommentForm, Thread } from '../components/gallery/Comments';
import { Material } from '../components/gallery/Material';
import { Breadcrumbs } from '../components/common/Breadcrumbs';
import { LoadError, Loading } from '../components/common/Message';

export function GalleryPracticePage({ id, n }: { id: string; n: string }) {
  const ctx = useEventContext(id);
  const practice = useLoad(`gallery-practice:${id}:${n}`, (signal) => gallery.practice(id, n, signal));
  const title = practice.status === 'ok' ? practice.data.title ?? '' : '';
  const words = ctx.status === 'ok' ? wordsOf(ctx.data.agenda) : null;
  useEffect(() => {
    document.title = title || words?.One || '';
  }, [title, words?.One]);
  if (ctx.status === 'loading' || practice.status === 'loading') return <Loading />;
  if (ctx.status === 'error') return <LoadError title="Не удалось загрузить мероприятие" message={ctx.message} />;
  if (practice.status === 'error') return <LoadError title={`${words!.One} ${words!.agree({ f: 'недоступна', m: 'недоступен', n: 'недоступно' })}`} message={practice.message} />;
  return <PracticeView ctx={ctx.data} practice={practice.data} />;
}

function PracticeView({ ctx, practice: p }: { ctx: EventContext; practice: GalleryPractice }) {
  const base = `/events/${encodeURIComponent(ctx.id)}`;
  const words = wordsOf(ctx.agenda);
  const [comments, setComments] = useState<GalleryComment[]>([]);
  const [meta, setMeta] = useState<CommentList>({});
  // The thread as read over HTTP; pushed comments are merged into `comments` between reads.
  const thread = useLoad(`comments:${ctx.id}:${p.id}`, (signal) => gallery.comments(ctx.id, p.id, signal));
  const read = thread.status === 'ok' ? thread.data : null;
  useEffect(() => {
    if (!read) return;
    setComments(read.comments ?? []);
    setMeta(read);
  }, [read]);
  const error = thread.status === 'error' ? thread.message : '';
  const reload = thread.reload;
  // Who still reads a comment once it is hidden: its author, the moderators and the organiser
  // (read when a push arrives, so it follows the latest thread and sign-in).
  const { me } = useAuth();
  const readsHidden = useRef<(c: GalleryComment) => boolean>(() => false);
  readsHidden.current = (c) => !!meta.moderator || (!!me?.user && me.user.id === c.author?.id);

  // Every (re)subscription reloads the thread, so nothing said while disconnected is missed.
  const viewers = usePresence(
    `practice:${ctx.id}:${p.id}`,
    (event, data) => {
      if (event !== 'comment') return;
      const c = data as GalleryComment;
      setComments((list) => {
        const at = list.findIndex((x) => x.id === c.id);
        if (at < 0) return [...list, c];
        const next = list.slice();
        // A pushed hidden comment carries no text: the author's or moderator's copy keeps it,
        // every other reader's loses it at once.
        next[at] = c.hidden && !c.deleted && c.text == null && readsHidden.current(c) ? { ...c, text: list[at]!.text } : c;
        return next;
      });
    },
    reload,
  );

  return (
    <article class="gallery-practice" data-testid="gallery-practice">
      <Breadcrumbs
        items={[
          { href: base, title: textOf(ctx.agenda.title) || ctx.id },
          { href: `${base}/gallery`, title: `Галерея ${words.genitivePlural}` },
          { title: p.title || `${words.One} № ${p.id}` },
        ]}
      />
      <h1 data-testid="gallery-practice-title">{p.title}</h1>
      <p class="practice-item__meta">
        {p.type_title} · {p.institution} · секция {p.section} «{p.section_title}»
        {p.outcome ? ` · ${outcomeTitle(ctx.agenda, p.outcome)}` : ''}
      </p>
      <p class="presence" aria-live="polite">
        Сейчас на странице: <strong data-testid="viewer-count">{viewers === null ? '—' : String(viewers)}</strong>
      </p>

      <section class="card" aria-labelledby="fields-title">
        <h2 id="fields-title">Описание {words.genitive}</h2>
        <PracticeAnswers agenda={ctx.agenda} fields={ctx.agenda.practice?.fields ?? []} answers={p.answers ?? {}} />
      </section>

      {(p.files ?? []).length > 0 && (
        <section class="card" aria-labelledby="files-title">
          <h2 id="files-title">Материалы</h2>
          {(p.files ?? []).map((f) => (
            <Material key={f.id} file={f} />
          ))}
        </section>
      )}

      <section class="card" aria-labelledby="discussion-title">
        <h2 id="discussion-title">Обсуждение</h2>
        {error && <p class="form__error">{error}</p>}
        <Thread ctx={ctx} practice={p.id} comments={comments} meta={meta} />
        {meta.writable ? (
          <CommentForm ctx={ctx} practice={p.id} max={meta.max_chars} testId="comment" />
        ) : (
          <p class="muted" data-testid="comments-closed">
            Писать комментарии можно, пока открыта галерея {words.genitivePlural}.
          </p>
        )}
      </section>
    </article>
  );
}
