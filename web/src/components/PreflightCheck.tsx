// The presenter's pre-flight check: the agenda's requirements, then the camera and microphone (the
// browser asks for permission; a video preview and a live microphone level from a Web Audio
// AnalyserNode) and the bandwidth to and from this server, judged against the agenda's figure in
// plain words. Nothing starts before the person presses a button; everything stops on leaving.
import { useEffect, useRef, useState } from 'preact/hooks';
import {
  formatMbps,
  levelOf,
  measureDownload,
  measureUpload,
  mediaErrorText,
  type PresenterRequirements,
} from '../lib/preflight';

// `level`: the heading's level where the list stands (a card of the cabinet: 3, a page's section: 2).
export function RequirementsList({ requirements, level = 3 }: { requirements: PresenterRequirements; level?: 2 | 3 }) {
  const Heading = level === 2 ? 'h2' : 'h3';
  return (
    <div data-testid="presenter-requirements">
      <Heading>{requirements.title}</Heading>
      <ul class="requirements">
        {requirements.items.map((item, i) => (
          <li key={i}>{item}</li>
        ))}
      </ul>
    </div>
  );
}

type DeviceState = { phase: 'idle' | 'asking' } | { phase: 'on'; stream: MediaStream } | { phase: 'error'; message: string };

function DeviceCheck() {
  const [device, setDevice] = useState<DeviceState>({ phase: 'idle' });
  const [level, setLevel] = useState(0);
  const [loudest, setLoudest] = useState(0);
  const video = useRef<HTMLVideoElement>(null);
  const stream = device.phase === 'on' ? device.stream : null;

  useEffect(() => {
    if (!stream) return;
    if (video.current) video.current.srcObject = stream;
    const audio = new AudioContext();
    const analyser = audio.createAnalyser();
    analyser.fftSize = 1024;
    audio.createMediaStreamSource(stream).connect(analyser);
    const samples = new Uint8Array(analyser.fftSize);
    let frame = 0;
    const read = () => {
      analyser.getByteTimeDomainData(samples);
      const now = levelOf(samples);
      setLevel(now);
      setLoudest((l) => Math.max(l, now));
      frame = requestAnimationFrame(read);
    };
    void audio.resume().then(read);
    return () => {
      cancelAnimationFrame(frame);
      void audio.close();
      stream.getTracks().forEach((t) => t.stop());
    };
  }, [stream]);

  const start = async () => {
    setDevice({ phase: 'asking' });
    setLoudest(0);
    try {
      if (!navigator.mediaDevices?.getUserMedia) throw new Error('no mediaDevices');
      const s = await navigator.mediaDevices.getUserMedia({ audio: true, video: true });
      setDevice({ phase: 'on', stream: s });
    } catch (e) {
      setDevice({ phase: 'error', message: mediaErrorText(e) });
    }
  };
  const stop = () => setDevice({ phase: 'idle' });
  const hasVideo = (stream?.getVideoTracks().length ?? 0) > 0;
  return (
    <section class="preflight__part" aria-labelledby="device-title">
      <h3 id="device-title">Камера и микрофон</h3>
      <div class="toolbar">
        {device.phase !== 'on' ? (
          <button type="button" class="button button--secondary" onClick={() => void start()} disabled={device.phase === 'asking'} data-testid="device-check">
            {device.phase === 'asking' ? 'Ждём разрешения браузера…' : 'Проверить камеру и микрофон'}
          </button>
        ) : (
          <button type="button" class="button button--secondary" onClick={stop} data-testid="device-stop">
            Выключить камеру и микрофон
          </button>
        )}
      </div>
      {device.phase === 'error' && (
        <p class="form__error" role="alert" data-testid="device-error">
          {device.message}
        </p>
      )}
      {device.phase === 'on' && (
        <div class="preflight__media" data-testid="device-on">
          <video ref={video} class="preflight__video" autoplay muted playsInline data-testid="video-preview" aria-label="Изображение с камеры" />
          <div class="preflight__level">
            <label class="field__label" for="mic-level">
              Громкость микрофона: скажите что-нибудь
            </label>
            <meter id="mic-level" class="meter" min={0} max={100} low={10} high={90} optimum={50} value={level} data-testid="mic-level" data-level={level} data-loudest={loudest} />
            <p class={loudest >= 10 ? 'callout callout--ok' : 'muted'} role="status" data-testid="mic-verdict">
              {loudest >= 10 ? 'Микрофон слышит вас.' : 'Пока тихо: если полоска не двигается, когда вы говорите, выберите другой микрофон в настройках браузера.'}
            </p>
            {!hasVideo && <p class="form__error">Камера не передаёт изображение.</p>}
          </div>
        </div>
      )}
    </section>
  );
}

type SpeedState =
  | { phase: 'idle' }
  | { phase: 'measuring'; down?: number; up?: number }
  | { phase: 'done'; down: number; up: number }
  | { phase: 'error'; message: string };

function SpeedCheck({ minMbps }: { minMbps: number | null }) {
  const [speed, setSpeed] = useState<SpeedState>({ phase: 'idle' });
  const run = async () => {
    setSpeed({ phase: 'measuring' });
    try {
      const down = await measureDownload((v) => setSpeed({ phase: 'measuring', down: v }));
      const up = await measureUpload((v) => setSpeed({ phase: 'measuring', down, up: v }));
      setSpeed({ phase: 'done', down, up });
    } catch (e) {
      setSpeed({ phase: 'error', message: e instanceof Error && e.message ? e.message : 'Не удалось измерить скорость: проверьте подключение к интернету.' });
    }
  };
  const down = speed.phase === 'measuring' || speed.phase === 'done' ? speed.down : undefined;
  const up = speed.phase === 'measuring' || speed.phase === 'done' ? speed.up : undefined;
  const enough = speed.phase === 'done' && minMbps !== null ? speed.down >= minMbps && speed.up >= minMbps : null;
  return (
    <section class="preflight__part" aria-labelledby="speed-title">
      <h3 id="speed-title">Скорость интернета</h3>
      <div class="toolbar">
        <button type="button" class="button button--secondary" onClick={() => void run()} disabled={speed.phase === 'measuring'} data-testid="speed-check">
          {speed.phase === 'measuring' ? 'Измеряем…' : speed.phase === 'idle' ? 'Измерить скорость' : 'Измерить ещё раз'}
        </button>
      </div>
      {(down !== undefined || up !== undefined) && (
        <dl class="facts" data-testid="speed-figures">
          <dt>Загрузка</dt>
          <dd data-testid="speed-down" data-mbps={down ?? ''}>
            {down !== undefined ? `${formatMbps(down)} Мбит/с` : '…'}
          </dd>
          <dt>Отдача</dt>
          <dd data-testid="speed-up" data-mbps={up ?? ''}>
            {up !== undefined ? `${formatMbps(up)} Мбит/с` : '…'}
          </dd>
          {minMbps !== null && (
            <>
              <dt>Нужно</dt>
              <dd>не менее {minMbps} Мбит/с в обе стороны</dd>
            </>
          )}
        </dl>
      )}
      {speed.phase === 'error' && (
        <p class="form__error" role="alert" data-testid="speed-error">
          {speed.message}
        </p>
      )}
      {enough === true && (
        <p class="callout callout--ok" role="status" data-testid="speed-verdict" data-enough="yes">
          Скорости достаточно для выступления.
        </p>
      )}
      {enough === false && (
        <p class="callout callout--error" role="status" data-testid="speed-verdict" data-enough="no">
          Скорости недостаточно: нужно не менее {minMbps} Мбит/с. Подключитесь по кабелю или ближе к роутеру, закройте программы и
          вкладки, которые пользуются интернетом, и измерьте ещё раз.
        </p>
      )}
      <p class="muted">Скорость измеряется до сервера конференции; видеокомната работает на другом сервере, и там она может отличаться.</p>
    </section>
  );
}

export function PreflightCheck({ requirements }: { requirements: PresenterRequirements | null }) {
  return (
    <div class="preflight" data-testid="preflight">
      <DeviceCheck />
      <SpeedCheck minMbps={requirements?.minMbps ?? null} />
    </div>
  );
}
