// Sizes and durations as the pages write them.

export function formatBytes(n: number | undefined): string {
  if (typeof n !== 'number' || !Number.isFinite(n)) return '';
  const units = ['байт', 'КБ', 'МБ', 'ГБ'];
  let v = n;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  const text = u === 0 ? String(v) : v.toLocaleString('ru-RU', { maximumFractionDigits: v < 10 ? 1 : 0 });
  return `${text} ${units[u]}`;
}

export function formatDuration(seconds: number | null | undefined): string {
  if (typeof seconds !== 'number' || !Number.isFinite(seconds)) return '';
  const total = Math.round(seconds);
  return `${Math.floor(total / 60)}:${String(total % 60).padStart(2, '0')}`;
}
