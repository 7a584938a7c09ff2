// One sent work followed live: what the server measured, the conversion with its progress, why a
// conversion failed, and the organiser's decision.
import { useState } from 'preact/hooks';
import { attachCaptions, removeCaptions, type MyItem } from '../../lib/endpoints/flashmob';
import { messageOf } from '../../lib/api';
import { useTopic } from '../../lib/hooks';
import type { EventContext } from '../../lib/intake';
import { formatDateTime } from '../../lib/time';
import { formatBytes, formatDuration } from '../../lib/format';

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

export function ItemCard({ ctx, initial }: { ctx: EventContext; initial: MyItem }) {
  const [item, setItem] = useState<MyItem>(initial);
  const [percent, setPercent] = useState<number | null>(null);
  const [hlsPercent, setHlsPercent] = useState<number | null>(null);
  const [captionsError, setCaptionsError] = useState('');
  const [captionsBusy, setCaptionsBusy] = useState(false);

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
      } else if (event === 'hls_progress') {
        const p = (data as { percent?: number }) ?? {};
        setHlsPercent(typeof p.percent === 'number' ? p.percent : null);
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
      {item.media_kind === 'video' && item.hls?.state && (
        <p class="muted" data-testid="item-hls" data-hls-state={item.hls.state}>
          Видео для медленной связи:{' '}
          {item.hls.state === 'ready'
            ? `готово (${(item.hls.renditions ?? []).map((r) => r.name).join(', ')})`
            : item.hls.state === 'failed'
              ? 'не удалось подготовить; зрители увидят обычное видео'
              : `готовится${hlsPercent !== null ? ` (${hlsPercent}%)` : ''}`}
        </p>
      )}
      {item.media_kind === 'video' && (
        <div class="upload-box" data-testid="item-captions">
          <span>
            Субтитры:{' '}
            {item.captions ? (
              <>
                <a href={item.captions.url}>добавлены</a>{' '}
                <button
                  type="button"
                  class="button button--quiet"
                  disabled={captionsBusy}
                  onClick={async () => {
                    setCaptionsBusy(true);
                    try {
                      setItem(await removeCaptions(ctx.id, item.id));
                      setCaptionsError('');
                    } catch (e) {
                      setCaptionsError(messageOf(e));
                    } finally {
                      setCaptionsBusy(false);
                    }
                  }}
                >
                  Убрать
                </button>
              </>
            ) : (
              'нет'
            )}
          </span>
          <label>
            {item.captions ? 'Заменить файлом' : 'Добавить файл'} субтитров (.srt или .vtt):{' '}
            <input
              type="file"
              accept=".srt,.vtt,text/vtt"
              data-testid="captions-file"
              disabled={captionsBusy}
              onChange={async (e) => {
                const input = e.target as HTMLInputElement;
                const file = input.files?.[0];
                if (!file) return;
                setCaptionsBusy(true);
                try {
                  setItem(await attachCaptions(ctx.id, item.id, file));
                  setCaptionsError('');
                } catch (err) {
                  setCaptionsError(messageOf(err));
                } finally {
                  setCaptionsBusy(false);
                  input.value = '';
                }
              }}
            />
          </label>
          {captionsError && (
            <p class="form__error" data-testid="captions-error">
              {captionsError}
            </p>
          )}
        </div>
      )}
      {play === 'ready' && item.media_kind === 'presentation' && (item.slide_urls ?? []).length > 0 && (
        <img class="item__video" src={item.slide_urls![0]} alt={`Первый слайд работы «${item.title}»`} />
      )}
    </li>
  );
}
