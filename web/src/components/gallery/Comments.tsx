// The discussion of a gallery practice: the thread with one level of replies, each comment with
// its author's and the moderator's hands, a participant's flag on an abusive one, and the form
// that writes, answers or edits one.
import { useState } from 'preact/hooks';
import { messageOf } from '../../lib/api';
import { useAuth } from '../../lib/auth';
import * as gallery from '../../lib/endpoints/gallery';
import { flagReasons, type CommentList, type GalleryComment } from '../../lib/gallery';
import type { EventContext } from '../../lib/intake';
import { formatDateTime } from '../../lib/time';

export function Thread({ ctx, practice, comments, meta }: { ctx: EventContext; practice: number; comments: GalleryComment[]; meta: CommentList }) {
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
  const [mode, setMode] = useState<'view' | 'edit' | 'reply' | 'flag'>('view');
  const [flagged, setFlagged] = useState(false);
  const [error, setError] = useState('');
  const mine = !!me && me.user?.id === c.author?.id;
  const act = (work: Promise<unknown>) => work.then(() => setError(''), (e) => setError(messageOf(e)));
  const wasFlagged = flagged || (meta.flagged ?? []).includes(c.id);
  const mayFlag = !!meta.may_flag && !mine && !c.hidden && !wasFlagged;

  return (
    <div class="comment" data-testid={`comment-${c.id}`} data-hidden={c.hidden ? 'yes' : 'no'}>
      <p class="comment__meta">
        <strong>{c.author?.full_name}</strong> · {formatDateTime(c.created_at, ctx.offset)}
        {c.edited_at ? ' · изменён' : ''}
        {c.hidden ? ' · скрыт модератором' : ''}
      </p>
      {mode === 'edit' ? (
        <CommentForm ctx={ctx} practice={practice} max={meta.max_chars} initial={c.text ?? ''} editing={c.id} onDone={() => setMode('view')} testId="edit" />
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
              <button type="button" class="button button--quiet button--small" onClick={() => act(gallery.deleteComment(ctx.id, practice, c.id))}>
                Удалить
              </button>
            </>
          )}
          {meta.moderator && (
            <button type="button" class="button button--quiet button--small" onClick={() => act(gallery.hideComment(ctx.id, practice, c.id, !c.hidden))}>
              {c.hidden ? 'Показать' : 'Скрыть'}
            </button>
          )}
          {mayFlag && (
            <button type="button" class="button button--quiet button--small" onClick={() => setMode('flag')} data-testid="comment-flag">
              Пожаловаться
            </button>
          )}
          {wasFlagged && !c.hidden && (
            <span class="muted" data-testid="comment-flagged">
              Вы пожаловались на этот комментарий
            </span>
          )}
        </div>
      )}
      {mode === 'flag' && (
        <FlagForm
          ctx={ctx}
          practice={practice}
          comment={c.id}
          onDone={(sent) => {
            if (sent) setFlagged(true);
            setMode('view');
          }}
        />
      )}
      {mode === 'reply' && <CommentForm ctx={ctx} practice={practice} max={meta.max_chars} parent={c.id} onDone={() => setMode('view')} testId="reply" />}
      {error && <p class="form__error" role="alert">{error}</p>}
    </div>
  );
}

// Why a comment is abusive: one of the agenda's reasons, or none. Only the moderators read it.
function FlagForm({ ctx, practice, comment, onDone }: { ctx: EventContext; practice: number; comment: number; onDone: (sent: boolean) => void }) {
  const reasons = flagReasons(ctx.agenda);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const onSubmit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    try {
      await gallery.flagComment(ctx.id, practice, comment, reason);
      onDone(true);
    } catch (err) {
      setError(messageOf(err));
      setBusy(false);
    }
  };
  return (
    <form class="form comment-form" onSubmit={onSubmit} noValidate data-testid="flag-form">
      {reasons.length > 0 && (
        <div class="field">
          <label class="field__label" for={`flag-reason-${comment}`}>
            Причина жалобы
          </label>
          <select id={`flag-reason-${comment}`} data-testid="flag-reason" value={reason} onChange={(e) => setReason(e.currentTarget.value)}>
            <option value="">Не указывать</option>
            {reasons.map((r) => (
              <option key={r.id} value={r.id}>
                {r.title}
              </option>
            ))}
          </select>
        </div>
      )}
      <p class="field__hint">Жалобу увидят только модераторы и организатор; автор комментария не узнает, кто пожаловался.</p>
      {error && <p class="form__error" role="alert" data-testid="flag-error">{error}</p>}
      <div class="form__row">
        <button type="submit" class="button button--primary" disabled={busy} data-testid="flag-submit">
          Отправить жалобу
        </button>
        <button type="button" class="button button--secondary" onClick={() => onDone(false)}>
          Отмена
        </button>
      </div>
    </form>
  );
}

export function CommentForm(props: { ctx: EventContext; practice: number; max?: number | undefined; parent?: number; initial?: string; editing?: number; onDone?: () => void; testId: string }) {
  const [text, setText] = useState(props.initial ?? '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const onSubmit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError('');
    try {
      if (props.editing) await gallery.editComment(props.ctx.id, props.practice, props.editing, text);
      else await gallery.addComment(props.ctx.id, props.practice, text, props.parent);
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
          {props.editing ? 'Текст комментария' : props.parent ? 'Ваш ответ' : 'Ваш комментарий'}
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
          {props.editing ? 'Сохранить' : 'Отправить'}
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
