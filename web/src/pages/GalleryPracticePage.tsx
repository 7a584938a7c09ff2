// One practice of the gallery: all 17 fields, its type and institution, its materials (photos,
// videos streamed from the uploads' file route, the Word document as page images with its
// formatting findings), how many
// people are on the page now, and its discussion, updated live for everyone on the page.
import { useCallback, useEffect, useState } from 'preact/hooks';
import { api, messageOf } from '../lib/api';
import { useAuth } from '../lib/auth';
import { usePresence, type CommentList, type DocumentPages, type GalleryComment, type GalleryFile, type GalleryPractice } from '../lib/gallery';
import { useLoad } from '../lib/hooks';
import { eventPath, outcomeTitle, useEventContext, wordsOf, type EventContext } from '../lib/intake';
import { formatDateTime } from '../lib/time';
import { textOf } from '../lib/types';
import { Breadcrumbs, LoadError } from '../components/Intake';
import { PracticeAnswers } from '../components/PracticeAnswers';
import { Loading } from '../components/Layout';

export function GalleryPracticePage({ id, n }: { id: string; n: string }) {
  const ctx = useEventContext(id);
  const practice = useLoad(`gallery-practice:${id}:${n}`, (signal) =>
    api.get<GalleryPractice>(eventPath(id, `/gallery/practices/${encodeURIComponent(n)}`), { signal }),
  );
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
  const [error, setError] = useState('');

  const reload = useCallback(() => {
    api.get<CommentList>(eventPath(ctx.id, `/practices/${p.id}/comments`)).then(
      (list) => {
        setComments(list.comments ?? []);
        setMeta(list);
      },
      (e) => setError(messageOf(e)),
    );
  }, [ctx.id, p.id]);

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
        // A pushed hidden comment carries no text; the author's or moderator's copy keeps it.
        next[at] = c.hidden && !c.deleted && c.text == null ? { ...c, text: list[at]!.text } : c;
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

function Material({ file: f }: { file: GalleryFile }) {
  const name = f.file_name || 'файл';
  if (f.kind === 'video') {
    return (
      <figure>
        <video controls preload="metadata" src={f.url} data-testid={`video-${f.id}`} />
        <figcaption>{name}</figcaption>
      </figure>
    );
  }
  if (f.purpose === 'photo' || f.kind === 'jpeg' || f.kind === 'image') {
    return (
      <figure>
        <img src={f.url} alt={name} loading="lazy" />
        <figcaption>{name}</figcaption>
      </figure>
    );
  }
  const findings = f.format?.findings ?? [];
  return (
    <div class="material">
      <a class="button button--secondary" href={f.url} download={name}>
        Скачать {name}
      </a>
      {f.purpose === 'document' && f.format && (
        <p class="practice-item__meta">
          {findings.length === 0 ? 'Оформление соответствует требованиям.' : `Замечаний к оформлению: ${findings.length}.`}
        </p>
      )}
      {findings.length > 0 && (
        <ul>
          {findings.slice(0, 20).map((x, i) => (
            <li key={i}>
              {x.where ? `${x.where}: ` : ''}
              {x.found} (нужно: {x.expected})
            </li>
          ))}
        </ul>
      )}
      {f.preview && <DocumentPreview url={f.preview} name={name} />}
    </div>
  );
}

// The document's pages as images the server made once (LibreOffice, then poppler): readable on
// a phone without a Word viewer. Pages load as they scroll into view.
function DocumentPreview({ url, name }: { url: string; name: string }) {
  const [state, setState] = useState<{ pages?: DocumentPages; error?: string }>({});
  useEffect(() => {
    const abort = new AbortController();
    api.get<DocumentPages>(url, { signal: abort.signal }).then(
      (pages) => setState({ pages }),
      (e) => {
        if (!abort.signal.aborted) setState({ error: messageOf(e) });
      },
    );
    return () => abort.abort();
  }, [url]);
  if (state.error) return <p class="muted" data-testid="preview-error">{state.error}</p>;
  if (!state.pages) return <p class="muted">Готовим просмотр документа…</p>;
  const { pages, urls, width } = state.pages;
  return (
    <details class="doc-preview" open data-testid="document-preview">
      <summary>
        Просмотр документа ({pages} стр.)
      </summary>
      {urls.map((src, i) => (
        <img
          key={src}
          src={src}
          alt={`${name}, страница ${i + 1} из ${pages}`}
          loading="lazy"
          decoding="async"
          width={width}
          height={width ? Math.round(width * 1.414) : undefined}
          data-testid="preview-page"
        />
      ))}
    </details>
  );
}

function Thread({ ctx, practice, comments, meta }: { ctx: EventContext; practice: number; comments: GalleryComment[]; meta: CommentList }) {
  const top = comments.filter((c) => c.parent == null);
  if (comments.length === 0) return <p class="muted">Комментариев пока нет.</p>;
  return (
    <ul class="comments" data-testid="comments">
      {top.map((c) => (
        <li key={c.id}>
          <Comment ctx={ctx} practice={practice} comment={c} meta={meta} canReply />
          <ul class="comments comments--replies">
            {comments
              .filter((r) => r.parent === c.id)
              .map((r) => (
                <li key={r.id}>
                  <Comment ctx={ctx} practice={practice} comment={r} meta={meta} canReply={false} />
                </li>
              ))}
          </ul>
        </li>
      ))}
    </ul>
  );
}

function Comment({ ctx, practice, comment: c, meta, canReply }: { ctx: EventContext; practice: number; comment: GalleryComment; meta: CommentList; canReply: boolean }) {
  const { me } = useAuth();
  const [mode, setMode] = useState<'view' | 'edit' | 'reply'>('view');
  const [error, setError] = useState('');
  const mine = !!me && me.user?.id === c.author?.id;
  const url = eventPath(ctx.id, `/practices/${practice}/comments/${c.id}`);
  const act = (work: Promise<unknown>) => work.then(() => setError(''), (e) => setError(messageOf(e)));

  return (
    <div class="comment" data-testid={`comment-${c.id}`} data-hidden={c.hidden ? 'yes' : 'no'}>
      <p class="comment__meta">
        <strong>{c.author?.full_name}</strong> · {formatDateTime(c.created_at, ctx.offset)}
        {c.edited_at ? ' · изменён' : ''}
        {c.hidden ? ' · скрыт модератором' : ''}
      </p>
      {mode === 'edit' ? (
        <CommentForm ctx={ctx} practice={practice} max={meta.max_chars} initial={c.text ?? ''} editUrl={url} onDone={() => setMode('view')} testId="edit" />
      ) : (
        <p class="comment__text" data-testid="comment-text">
          {c.deleted ? <em>Комментарий удалён автором.</em> : c.text == null ? <em>Комментарий скрыт модератором.</em> : c.text}
        </p>
      )}
      {!c.deleted && mode === 'view' && (
        <div class="form__row">
          {canReply && meta.writable && (
            <button type="button" class="button button--quiet button--small" onClick={() => setMode('reply')}>
              Ответить
            </button>
          )}
          {mine && meta.writable && (
            <>
              <button type="button" class="button button--quiet button--small" onClick={() => setMode('edit')}>
                Изменить
              </button>
              <button type="button" class="button button--quiet button--small" onClick={() => act(api.delete(url))}>
                Удалить
              </button>
            </>
          )}
          {meta.moderator && (
            <button type="button" class="button button--quiet button--small" onClick={() => act(api.post(`${url}/hide`, { hidden: !c.hidden }))}>
              {c.hidden ? 'Показать' : 'Скрыть'}
            </button>
          )}
        </div>
      )}
      {mode === 'reply' && <CommentForm ctx={ctx} practice={practice} max={meta.max_chars} parent={c.id} onDone={() => setMode('view')} testId="reply" />}
      {error && <p class="form__error" role="alert">{error}</p>}
    </div>
  );
}

function CommentForm(props: { ctx: EventContext; practice: number; max?: number | undefined; parent?: number; initial?: string; editUrl?: string; onDone?: () => void; testId: string }) {
  const [text, setText] = useState(props.initial ?? '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const onSubmit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError('');
    try {
      if (props.editUrl) await api.patch(props.editUrl, { text });
      else await api.post(eventPath(props.ctx.id, `/practices/${props.practice}/comments`), props.parent ? { text, parent: props.parent } : { text });
      setText('');
      props.onDone?.();
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="form comment-form" onSubmit={onSubmit} noValidate data-testid={`${props.testId}-form`}>
      <div class="field">
        <label class="field__label" for={`${props.testId}-text-${props.parent ?? 0}`}>
          {props.editUrl ? 'Текст комментария' : props.parent ? 'Ваш ответ' : 'Ваш комментарий'}
        </label>
        <textarea
          id={`${props.testId}-text-${props.parent ?? 0}`}
          data-testid={`${props.testId}-text`}
          value={text}
          rows={3}
          onInput={(e) => setText(e.currentTarget.value)}
        />
        {props.max ? <span class="field__hint">{`${[...text].length} из ${props.max} знаков`}</span> : null}
      </div>
      {error && (
        <p class="form__error" role="alert" data-testid={`${props.testId}-error`}>
          {error}
        </p>
      )}
      <div class="form__row">
        <button type="submit" class="button button--primary" disabled={busy} data-testid={`${props.testId}-submit`}>
          {props.editUrl ? 'Сохранить' : 'Отправить'}
        </button>
        {props.onDone && (
          <button type="button" class="button button--secondary" onClick={props.onDone}>
            Отмена
          </button>
        )}
      </div>
    </form>
  );
}
