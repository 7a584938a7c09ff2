// The organiser's flashmob queue: approve or reject submitted items (with a reason), put the
// approved ones in order by dragging them (or with the arrow buttons), and pause, resume or skip
// the feed. Every change reaches the viewers at once; the page follows the feed live.
import { useEffect, useRef, useState } from 'preact/hooks';
import { messageOf } from '../lib/api';
import * as flashmob from '../lib/endpoints/flashmob';
import type { QueueItem } from '../lib/endpoints/flashmob';
import { useAuth } from '../lib/auth';
import { useFlashmobWords } from '../lib/flashmobWords';
import { useLoad, useTopic } from '../lib/hooks';
import type { FeedState } from '../lib/flashmob';
import { formatDuration } from '../lib/format';
import { isOrganiser } from '../lib/roles';
import { Loading, LoginNeeded, Message } from '../components/common/Message';

const kPlayTitle: Record<string, string> = {
  ready: 'готов к показу',
  queued: 'ждёт преобразования',
  converting: 'преобразуется',
  failed: 'не удалось преобразовать',
  needs_pdf: 'нужен PDF',
};

export function FlashmobQueuePage({ id }: { id: string }) {
  const auth = useAuth();
  const words = useFlashmobWords(id, (w) => w.queueTitle);
  if (auth.me === undefined) return <Loading />;
  if (auth.me === null) return <LoginNeeded what="проверить работы и задать порядок показа" />;
  const organiser = isOrganiser(auth.me, id);
  if (!organiser)
    return (
      <Message title="Нет доступа">
        <p>Эта страница — для организаторов мероприятия.</p>
      </Message>
    );
  return <Queue id={id} title={words?.queueTitle ?? ''} />;
}

function Queue({ id, title }: { id: string; title: string }) {
  const queue = useLoad(`flashmob-queue:${id}`, (signal) => flashmob.queue(id, signal));
  const [feed, setFeed] = useState<FeedState | null>(null);
  const [actionError, setError] = useState('');
  const [dragged, setDragged] = useState<number | null>(null);
  // The queue as last read stays on screen while a refresh fails; its feed is the newest known
  // until the topic pushes another.
  const shown = useRef<QueueItem[] | null>(null);
  if (queue.status === 'ok') shown.current = queue.data.items;
  const items = shown.current;
  const error = actionError || (queue.status === 'error' ? queue.message : '');
  const readFeed = queue.status === 'ok' ? queue.data.feed : null;
  useEffect(() => {
    if (readFeed) setFeed(readFeed);
  }, [readFeed]);
  useTopic(`flashmob:${id}`, {
    onSubscribed: (data) => setFeed(data as FeedState),
    onEvent: (event, data) => {
      if (event === 'now_playing') setFeed(data as FeedState);
    },
  });

  const act = (p: Promise<unknown>) =>
    p.then(
      () => {
        setError('');
        queue.reload();
      },
      (e) => setError(messageOf(e)),
    );
  const approved = (items ?? []).filter((i) => i.review === 'approved');
  const others = (items ?? []).filter((i) => i.review !== 'approved');
  const saveOrder = (order: number[]) => act(flashmob.saveOrder(id, order));
  const move = (from: number, to: number) => {
    if (to < 0 || to >= approved.length || from === to) return;
    const order = approved.map((i) => i.id);
    const [moved] = order.splice(from, 1);
    order.splice(to, 0, moved!);
    saveOrder(order);
  };
  const decide = (item: QueueItem, decision: 'approve' | 'reject') => {
    let reason = '';
    if (decision === 'reject') {
      reason = window.prompt('Причина, по которой материал не допущен:') ?? '';
      if (!reason.trim()) return;
    }
    act(flashmob.decide(id, item.id, decision, reason));
  };

  if (!items) return error ? <p class="form__error">{error}</p> : <Loading />;
  return (
    <section class="flashmob-queue">
      {title && <h1>{title}</h1>}
      {error && (
        <p class="form__error" role="alert">
          {error}
        </p>
      )}
      <div class="block">
        <h2>Трансляция</h2>
        <p data-testid="feed-state">
          {feed?.state === 'playing' && `Идёт: «${feed.item?.title}»`}
          {feed?.state === 'paused' && `Пауза: «${feed.item?.title}»`}
          {feed?.state === 'waiting' && 'Ещё не началась'}
          {feed?.state === 'idle' && 'Показывать нечего'}
        </p>
        <div class="queue__controls">
          <button type="button" class="button" onClick={() => act(flashmob.control(id, 'pause'))}>
            Пауза
          </button>
          <button type="button" class="button" onClick={() => act(flashmob.control(id, 'resume'))}>
            Продолжить
          </button>
          <button type="button" class="button" onClick={() => act(flashmob.control(id, 'skip'))}>
            Пропустить текущий
          </button>
          <a class="button button--quiet" href={`/events/${encodeURIComponent(id)}/flashmob`}>
            Открыть трансляцию
          </a>
        </div>
      </div>
      <div class="block">
        <h2>Допущены, в порядке показа</h2>
        <p class="muted">Перетащите строку, чтобы изменить порядок.</p>
        <ol class="queue" data-testid="approved">
          {approved.map((item, index) => (
            <li
              key={item.id}
              class={`queue__item${dragged === index ? ' queue__item--dragged' : ''}`}
              draggable
              onDragStart={(e) => {
                setDragged(index);
                e.dataTransfer?.setData('text/plain', String(index));
              }}
              onDragOver={(e) => e.preventDefault()}
              onDrop={(e) => {
                e.preventDefault();
                if (dragged !== null) move(dragged, index);
                setDragged(null);
              }}
              onDragEnd={() => setDragged(null)}
            >
              <ItemLine item={item} playing={feed?.item?.id === item.id} />
              <span class="queue__buttons">
                <button type="button" class="button button--quiet" aria-label="Выше" onClick={() => move(index, index - 1)}>
                  ↑
                </button>
                <button type="button" class="button button--quiet" aria-label="Ниже" onClick={() => move(index, index + 1)}>
                  ↓
                </button>
                <button type="button" class="button button--quiet" onClick={() => decide(item, 'reject')}>
                  Снять
                </button>
              </span>
            </li>
          ))}
        </ol>
      </div>
      <div class="block">
        <h2>На рассмотрении и отклонённые</h2>
        <ul class="queue" data-testid="others">
          {others.map((item) => (
            <li key={item.id} class="queue__item">
              <ItemLine item={item} playing={false} />
              <span class="queue__buttons">
                <button type="button" class="button button--primary" onClick={() => decide(item, 'approve')}>
                  Допустить
                </button>
                {item.review === 'pending' && (
                  <button type="button" class="button" onClick={() => decide(item, 'reject')}>
                    Отклонить
                  </button>
                )}
              </span>
            </li>
          ))}
        </ul>
      </div>
    </section>
  );
}

function ItemLine({ item, playing }: { item: QueueItem; playing: boolean }) {
  const m = item.measured;
  const measured =
    item.media_kind === 'video'
      ? `${formatDuration(m.duration_s ?? 0)}${m.video ? `, ${m.video.width}×${m.video.height}, ${m.video.video_codec}${m.video.audio_codec ? ` + ${m.video.audio_codec}` : ''}` : ''}`
      : `слайдов: ${m.slides ?? '?'}`;
  return (
    <span class="queue__text">
      {playing && <strong>▶ </strong>}
      <strong>{item.title}</strong> — {item.institution} <span class="muted">({item.work_kind_title})</span>
      <br />
      <span class="muted">
        {item.owner.full_name}, {item.file_name}: {measured}; {kPlayTitle[item.play.state] ?? item.play.state}
        {item.play.state === 'converting' && item.play.progress !== null && ` ${Math.round(item.play.progress * 100)}%`}
        {item.play.failure && ` — ${item.play.failure}`}
        {item.review === 'rejected' && ` — отклонён: ${item.reason}`}
      </span>
    </span>
  );
}
