// The author's flashmob page: send a creative work (its kind from the agenda, a title, the
// institution, and the video or presentation through the resumable upload), then follow each sent
// work live: what the server measured (duration, slides), the conversion to a playable video with
// its progress over the WebSocket, why a conversion failed, and the organiser's decision.
import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { api, fieldErrorsOf, messageOf, type FieldError } from '../lib/api';
import { useAuth } from '../lib/auth';
import { useTopic } from '../lib/hooks';
import { eventPath, useEventContext, wordsOf, type EventContext } from '../lib/intake';
import { flashmobPath } from '../lib/flashmob';
import { formatDateTime } from '../lib/time';
import { textOf, type Registration } from '../lib/types';
import type { UploadInfo, Verdict } from '../lib/uploads';
import { Breadcrumbs, LoadError, LoginNeeded } from '../components/Intake';
import { Loading } from '../components/Layout';
import { formatBytes, formatDuration } from '../components/FileCheck';
import { FileUpload } from '../components/Upload';

interface MyItem {
  id: number;
  file_name?: string;
  work_kind?: string;
  work_kind_title?: string;
  title?: string;
  institution?: string;
  media_kind?: 'video' | 'presentation';
  measured?: Verdict & { video?: { video_codec?: string; audio_codec?: string; width?: number; height?: number; playable?: boolean } };
  play?: { state?: string; progress?: number | null; failure?: string | null; attempts?: number };
  review?: 'pending' | 'approved' | 'rejected' | string;
  reason?: string;
  duration_s?: number | null;
  slides?: number | null;
  media_url?: string | null;
  slide_urls?: string[];
  created_at?: string;
}

interface Mine {
  items?: MyItem[];
  work_kinds?: Array<{ id: string; title?: string }>;
}

const kPlayText: Record<string, string> = {
  ready: 'готово к показу',
  queued: 'ждёт преобразования в видео для браузера',
  converting: 'преобразуется в видео для браузера',
  failed: 'не удалось преобразовать',
  needs_pdf: 'нужна презентация в PDF',
};

const kReviewText: Record<string, string> = {
  pending: 'на рассмотрении у организатора',
  approved: 'одобрено для показа',
  rejected: 'отклонено организатором',
};

export function FlashmobMinePage({ id }: { id: string }) {
  const auth = useAuth();
  const ctx = useEventContext(id);
  useEffect(() => {
    document.title = 'Мои работы для флешмоба';
  }, []);
  if (auth.me === undefined || ctx.status === 'loading') return <Loading />;
  if (auth.me === null) return <LoginNeeded what="отправить работу на флешмоб" />;
  if (ctx.status === 'error') return <LoadError title="Не удалось загрузить мероприятие" message={ctx.message} />;
  return <Mine ctx={ctx.data} />;
}

function Mine({ ctx }: { ctx: EventContext }) {
  const [mine, setMine] = useState<Mine | null>(null);
  const [error, setError] = useState('');
  const base = `/events/${encodeURIComponent(ctx.id)}`;

  useEffect(() => {
    api.get<Mine>(flashmobPath(ctx.id, '/items/mine')).then(setMine, (e) => setError(messageOf(e)));
  }, [ctx.id]);

  if (error) return <LoadError title="Не удалось загрузить ваши работы" message={error} />;
  if (!mine) return <Loading />;
  const items = mine.items ?? [];
  const kinds = mine.work_kinds?.length ? mine.work_kinds : (ctx.agenda.files?.flashmob?.work_kinds ?? []);
  const purpose = ctx.agenda.files?.flashmob;
  // «видеоролик (не более 5 минут, до 1000 МБ) или презентация (…)»: the agenda's own words for
  // the kinds of file, limits included.
  const fileKinds = (purpose?.kinds ?? [])
    .map((k) => textOf(k.title))
    .filter(Boolean)
    .map((t) => t.charAt(0).toLocaleLowerCase('ru-RU') + t.slice(1))
    .join(' или ');

  return (
    <article class="intake" data-testid="flashmob-mine">
      <Breadcrumbs
        items={[
          { href: base, title: textOf(ctx.agenda.title) || ctx.id },
          { href: `${base}/cabinet`, title: `Мои ${wordsOf(ctx.agenda).many}` },
          { title: 'Флешмоб' },
        ]}
      />
      <h1>Мои работы для флешмоба</h1>
      {fileKinds && (
        <p class="muted" data-testid="flashmob-kinds">
          {textOf(purpose?.title) || 'Материалы'}: {fileKinds}.
        </p>
      )}
      <NewItem ctx={ctx} kinds={kinds} onSent={(item) => setMine((m) => ({ ...m, items: [item, ...(m?.items ?? [])] }))} />
      <section class="card" aria-labelledby="items-title">
        <h2 id="items-title">Отправленные работы</h2>
        {items.length === 0 ? (
          <p class="muted" data-testid="no-items">
            Вы ещё не отправили ни одной работы.
          </p>
        ) : (
          <ul class="practice-list" data-testid="flashmob-items">
            {items.map((item) => (
              <ItemCard key={item.id} ctx={ctx} initial={item} />
            ))}
          </ul>
        )}
      </section>
    </article>
  );
}

function NewItem({ ctx, kinds, onSent }: { ctx: EventContext; kinds: Array<{ id: string; title?: string }>; onSent: (item: MyItem) => void }) {
  const [kind, setKind] = useState('');
  const [title, setTitle] = useState('');
  const [institution, setInstitution] = useState('');
  const [file, setFile] = useState<UploadInfo | null>(null);
  const [round, setRound] = useState(0); // a new upload component after each sent work
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [message, setMessage] = useState('');

  // The institution of the registration form, to save typing on a phone.
  useEffect(() => {
    api.get<{ registration: Registration | null }>(eventPath(ctx.id, '/registration')).then(
      (r) => {
        const v = r.registration?.answers?.institution;
        if (typeof v === 'string') setInstitution((cur) => cur || v);
      },
      () => undefined,
    );
  }, [ctx.id]);

  const errorOf = (path: string) => errors.find((e) => e.path === path)?.message;
  const send = async (e: Event) => {
    e.preventDefault();
    setMessage('');
    if (!file) {
      setErrors([]);
      setMessage('Сначала загрузите файл работы.');
      return;
    }
    setBusy(true);
    try {
      const item = await api.post<MyItem>(flashmobPath(ctx.id, '/items'), { upload: file.id, work_kind: kind, title, institution });
      onSent(item);
      setErrors([]);
      setKind('');
      setTitle('');
      setFile(null);
      setRound((r) => r + 1);
      setMessage('Работа отправлена. Её статус — ниже.');
    } catch (err) {
      setErrors(fieldErrorsOf(err));
      setMessage(messageOf(err));
    } finally {
      setBusy(false);
    }
  };

  const field = (path: string, label: string, input: JSX.Element) => (
    <div class={`field${errorOf(path) ? ' field--invalid' : ''}`}>
      <label class="field__label" for={`fm-${path}`}>
        {label} <span class="required-mark" aria-hidden="true">*</span>
      </label>
      {input}
      {errorOf(path) && (
        <p class="field__error" id={`fm-${path}-error`} data-testid="field-error">
          {errorOf(path)}
        </p>
      )}
    </div>
  );

  return (
    <form class="card form" onSubmit={send} noValidate aria-labelledby="new-item-title" data-testid="flashmob-form">
      <h2 id="new-item-title">Отправить работу</h2>
      {field(
        'work_kind',
        'Вид творческой работы',
        <select id="fm-work_kind" data-testid="flashmob-kind" value={kind} aria-required="true" onChange={(e) => setKind(e.currentTarget.value)}>
          <option value="">— выберите —</option>
          {kinds.map((k) => (
            <option key={k.id} value={k.id}>
              {textOf(k.title) || k.id}
            </option>
          ))}
        </select>,
      )}
      {field(
        'title',
        'Название работы',
        <input id="fm-title" data-testid="flashmob-title" value={title} aria-required="true" onInput={(e) => setTitle(e.currentTarget.value)} />,
      )}
      {field(
        'institution',
        'Учреждение',
        <input
          id="fm-institution"
          data-testid="flashmob-institution"
          value={institution}
          aria-required="true"
          onInput={(e) => setInstitution(e.currentTarget.value)}
        />,
      )}
      <FileUpload
        key={round}
        event={ctx.id}
        purpose="flashmob"
        spec={ctx.agenda.files?.flashmob}
        scope={`${ctx.id}/flashmob`}
        label="Видеоролик или презентация"
        testId="flashmob-upload"
        onComplete={setFile}
      />
      {message && (
        <p class={errors.length === 0 && message.startsWith('Работа отправлена') ? 'callout callout--ok' : 'form__error'} role="status" data-testid="flashmob-message">
          {message}
        </p>
      )}
      <button type="submit" class="button button--primary" data-testid="flashmob-send" disabled={busy}>
        {busy ? 'Отправляем…' : 'Отправить работу'}
      </button>
    </form>
  );
}

function ItemCard({ ctx, initial }: { ctx: EventContext; initial: MyItem }) {
  const [item, setItem] = useState<MyItem>(initial);
  const [percent, setPercent] = useState<number | null>(null);

  useTopic(`flashmob-item:${ctx.id}:${initial.id}`, {
    onSubscribed: (data) => {
      const fresh = (data as { item?: MyItem } | null)?.item;
      if (fresh) setItem(fresh);
    },
    onEvent: (event, data) => {
      if (event === 'item') {
        setItem(data as MyItem);
        setPercent(null);
      } else if (event === 'progress') {
        const p = (data as { percent?: number; progress?: number }) ?? {};
        setPercent(typeof p.percent === 'number' ? p.percent : typeof p.progress === 'number' ? Math.round(p.progress * 100) : null);
      }
    },
  });

  const play = item.play?.state ?? 'ready';
  const review = item.review ?? 'pending';
  const measured = item.measured ?? {};
  const duration = item.duration_s ?? measured.duration_s;
  const slides = item.slides ?? measured.slides;
  const shownPercent = percent ?? (typeof item.play?.progress === 'number' ? Math.round(item.play.progress * 100) : 0);

  return (
    <li class="practice-item" data-testid={`flashmob-item-${item.id}`} data-play-state={play} data-review={review}>
      <strong class="practice-item__title">{item.title}</strong>
      <span class={`badge badge--${review === 'approved' ? 'open' : review === 'rejected' ? 'closed' : 'upcoming'}`} data-testid="item-review">
        {kReviewText[review] ?? review}
      </span>
      <p class="practice-item__meta">
        {item.work_kind_title || item.work_kind} · {item.institution}
        {item.created_at ? ` · отправлена ${formatDateTime(item.created_at, ctx.offset)}` : ''}
      </p>
      {review === 'rejected' && item.reason && (
        <p class="callout callout--error" data-testid="item-reason">
          Причина: {item.reason}
        </p>
      )}
      <dl class="facts" data-testid="item-measured">
        <dt>Файл</dt>
        <dd>
          {item.file_name}
          {typeof measured.bytes === 'number' ? `, ${formatBytes(measured.bytes)}` : ''}
        </dd>
        {typeof duration === 'number' && (
          <>
            <dt>Длительность</dt>
            <dd data-testid="item-duration">{formatDuration(duration)}</dd>
          </>
        )}
        {typeof slides === 'number' && (
          <>
            <dt>Слайдов</dt>
            <dd data-testid="item-slides">{slides}</dd>
          </>
        )}
        {measured.video?.width && (
          <>
            <dt>Изображение</dt>
            <dd>
              {measured.video.width}×{measured.video.height}
              {measured.video.video_codec ? `, ${measured.video.video_codec}` : ''}
              {measured.video.audio_codec ? ` + ${measured.video.audio_codec}` : ''}
            </dd>
          </>
        )}
        <dt>Показ</dt>
        <dd data-testid="item-play">{kPlayText[play] ?? play}</dd>
      </dl>
      {(play === 'converting' || play === 'queued') && (
        <label class="upload__label" data-testid="item-progress" data-percent={shownPercent}>
          <span>Преобразование: {shownPercent}%</span>
          <progress max={100} value={shownPercent} aria-valuetext={`${shownPercent}%`} />
        </label>
      )}
      {(play === 'failed' || play === 'needs_pdf') && (
        <p class="callout callout--error" data-testid="item-failure">
          {item.play?.failure || (play === 'needs_pdf' ? 'Сохраните презентацию в PDF и отправьте её новой работой.' : 'Причина неизвестна.')}
        </p>
      )}
      {play === 'ready' && item.media_kind === 'video' && item.media_url && (
        <video class="item__video" controls preload="metadata" src={item.media_url} data-testid="item-video" />
      )}
      {play === 'ready' && item.media_kind === 'presentation' && (item.slide_urls ?? []).length > 0 && (
        <img class="item__video" src={item.slide_urls![0]} alt={`Первый слайд работы «${item.title}»`} />
      )}
    </li>
  );
}
