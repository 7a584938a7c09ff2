// The editor's autosave line: pending, saving, saved at a time, saved but for a field with an
// error, not saved and why, or changed elsewhere with the way to reload.
import { capitalise, type Words } from '../../lib/intake';
import { formatTime } from '../../lib/time';

export type SaveState =
  | { kind: 'idle' }
  | { kind: 'pending' }
  | { kind: 'saving' }
  | { kind: 'saved'; at: string }
  | { kind: 'partial'; at: string; message: string }
  | { kind: 'error'; message: string }
  | { kind: 'stale'; message: string };

export function SaveIndicator({ save, offset, onReload, words }: { save: SaveState; offset?: string; onReload: () => void; words: Words }) {
  let text = '';
  switch (save.kind) {
    case 'idle':
      text = 'Изменения сохраняются автоматически.';
      break;
    case 'pending':
      text = 'Есть несохранённые изменения…';
      break;
    case 'saving':
      text = 'Сохраняется…';
      break;
    case 'saved':
      text = save.at ? `Сохранено в ${formatTime(save.at, offset)}` : 'Сохранено';
      break;
    case 'partial':
      text = `${save.at ? `Сохранено в ${formatTime(save.at, offset)}` : 'Сохранено'}, кроме поля с ошибкой. Не сохранено: ${save.message}`;
      break;
    case 'error':
      text = `Не сохранено: ${save.message}`;
      break;
    case 'stale':
      text = '';
  }
  return (
    <div class={`save-status save-status--${save.kind}`} role="status" aria-live="polite" data-testid="save-status" data-state={save.kind}>
      {save.kind === 'stale' ? (
        <>
          <strong>{capitalise(words.accusative)} изменили в другом окне или на другом устройстве.</strong> Ваши последние правки не сохранены. {save.message}{' '}
          <button type="button" class="button button--secondary" data-testid="reload-practice" onClick={onReload}>
            Загрузить текущую версию
          </button>
        </>
      ) : (
        text
      )}
    </div>
  );
}
