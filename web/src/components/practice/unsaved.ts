// What the practice editor keeps in this browser: the answers the server refused to save, by
// field, so a reload does not lose them.
import type { Answers } from '../../lib/types';

// "co_implementers[0].phone" → "co_implementers": the form's field an error is in.
export function topField(path: string): string {
  const end = path.search(/[.[]/);
  return end < 0 ? path : path.slice(0, end);
}

// This browser's copy of the answers the server could not save yet, by field.
export function readLocally(key: string): Answers {
  try {
    const raw = localStorage.getItem(key);
    const value: unknown = raw ? JSON.parse(raw) : null;
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Answers) : {};
  } catch {
    return {};
  }
}

// After a save: the fields just sent that the server refused are kept, the others forgotten.
export function keepLocally(key: string, answers: Answers, sent: Set<string>, refused: Set<string>): void {
  const kept = readLocally(key);
  for (const k of sent) {
    if (refused.has(k)) kept[k] = answers[k];
    else delete kept[k];
  }
  try {
    if (Object.keys(kept).length === 0) localStorage.removeItem(key);
    else localStorage.setItem(key, JSON.stringify(kept));
  } catch {
    // Storage full or switched off: the field stays marked on the page, which is what matters most.
  }
}
