// The presenter's pre-flight check: the agenda's requirements (section_day.presenter_requirements,
// Appendix 2 of the conference's rules), the microphone's level, and the bandwidth to and from this
// server measured through GET and POST /api/speedtest (docs/protocol.md).
import type { Agenda } from './types';
import { downloadProbe, uploadProbe } from './endpoints/preflight';

export interface PresenterRequirements {
  title: string;
  items: string[]; // {min_mbps} already replaced by the figure
  minMbps: number;
}

// Null when the agenda lists none (then nothing is shown).
export function presenterRequirements(agenda: Agenda | undefined): PresenterRequirements | null {
  const part = (agenda?.section_day as { presenter_requirements?: unknown } | undefined)?.presenter_requirements;
  if (typeof part !== 'object' || part === null) return null;
  const r = part as { title?: unknown; items?: unknown; min_mbps?: unknown };
  if (typeof r.title !== 'string' || !Array.isArray(r.items) || typeof r.min_mbps !== 'number') return null;
  const minMbps = r.min_mbps;
  const items = r.items.filter((i): i is string => typeof i === 'string').map((i) => i.split('{min_mbps}').join(String(minMbps)));
  return { title: r.title, items, minMbps };
}

// 0–100 from the analyser's time-domain samples (centred on 128): the loudness a meter shows.
export function levelOf(samples: Uint8Array): number {
  let sum = 0;
  for (const s of samples) {
    const v = (s - 128) / 128;
    sum += v * v;
  }
  const rms = Math.sqrt(sum / Math.max(1, samples.length));
  // Speech sits around an RMS of 0.05–0.3; scaled so that it fills most of the bar.
  return Math.min(100, Math.round(rms * 300));
}

// What getUserMedia's refusal means for the person, in their words.
export function mediaErrorText(e: unknown): string {
  const name = (e as { name?: string })?.name ?? '';
  if (name === 'NotAllowedError' || name === 'SecurityError')
    return 'Браузер не дал доступа к камере и микрофону. Разрешите доступ (значок камеры в адресной строке) и повторите проверку.';
  if (name === 'NotFoundError' || name === 'OverconstrainedError') return 'Камера или микрофон не найдены: подключите их и повторите проверку.';
  if (name === 'NotReadableError') return 'Камера или микрофон заняты другой программой: закройте её и повторите проверку.';
  if (typeof navigator === 'undefined' || !navigator.mediaDevices)
    return 'Этот браузер не даёт доступа к камере и микрофону. Откройте страницу в современном браузере по адресу https.';
  return 'Не удалось включить камеру и микрофон.';
}

async function refusal(response: Response): Promise<Error> {
  try {
    const body = (await response.json()) as { error?: { message?: string } };
    if (body.error?.message) return new Error(body.error.message);
  } catch {
    // not JSON: the generic message below
  }
  return new Error(`Сервер не ответил на проверку скорости (код ${response.status}).`);
}

function mbps(bytes: number, ms: number): number {
  return (bytes * 8) / (Math.max(ms, 1) / 1000) / 1e6;
}

// Transfers grow until one takes long enough to say something about the link (or the cap is
// reached); the figure is the last transfer's. A quick link gets a few large transfers, a slow one
// stops after a small one instead of waiting for minutes.
const kDownloadSizes = [256 << 10, 2 << 20, 8 << 20, 32 << 20];
const kUploadSizes = [256 << 10, 2 << 20, 8 << 20];
const kLongEnoughMs = 1500;

async function timed(run: () => Promise<void>): Promise<number> {
  const started = performance.now();
  await run();
  return performance.now() - started;
}

export async function measureDownload(onProgress?: (mbps: number) => void): Promise<number> {
  let result = 0;
  for (const size of kDownloadSizes) {
    const ms = await timed(async () => {
      const response = await downloadProbe(size);
      if (!response.ok) throw await refusal(response);
      await response.arrayBuffer();
    });
    result = mbps(size, ms);
    onProgress?.(result);
    if (ms >= kLongEnoughMs) break;
  }
  return result;
}

export async function measureUpload(onProgress?: (mbps: number) => void): Promise<number> {
  let result = 0;
  for (const size of kUploadSizes) {
    const body = new Uint8Array(size);
    const ms = await timed(async () => {
      const response = await uploadProbe(body);
      if (!response.ok) throw await refusal(response);
      await response.json();
    });
    result = mbps(size, ms);
    onProgress?.(result);
    if (ms >= kLongEnoughMs) break;
  }
  return result;
}

// "31,4" — one decimal below 100, whole numbers above.
export function formatMbps(value: number): string {
  return value.toLocaleString('ru-RU', { maximumFractionDigits: value < 100 ? 1 : 0 });
}
