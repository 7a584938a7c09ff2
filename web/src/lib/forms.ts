// Helpers for forms built from the agenda's field definitions: paths as the server writes them
// (`organisation.phone`, `cases[2]`, `implementers[1].full_name`, list indices from 1), the DOM id
// of each path, the "required only when…" rule, choice options, and focusing a field by its path.
import type { Agenda, Answers, FormField, Formatting } from './types';
import { parseInstant, parseOffset } from './time';
import { textOf } from './types';

export const kIntakeStage = 'intake';

export type Segment = string | number; // a key, or a 1-based list index

export function parsePath(path: string): Segment[] {
  const out: Segment[] = [];
  for (const part of path.split('.')) {
    const m = /^([^[]*)((?:\[\d+\])*)$/.exec(part);
    if (!m) {
      out.push(part);
      continue;
    }
    if (m[1]) out.push(m[1]);
    for (const idx of m[2]!.matchAll(/\[(\d+)\]/g)) out.push(Number(idx[1]));
  }
  return out;
}

export function joinPath(prefix: string, id: string): string {
  return prefix ? `${prefix}.${id}` : id;
}

export function itemPath(path: string, index0: number): string {
  return `${path}[${index0 + 1}]`;
}

// A stable, selector-safe element id for a field path.
export function fieldDomId(path: string): string {
  return 'f-' + path.replace(/\./g, '__').replace(/\[(\d+)\]/g, '-$1').replace(/[^A-Za-z0-9_-]/g, '_');
}

export function valueAt(root: unknown, path: string): unknown {
  let at: unknown = root;
  for (const seg of parsePath(path)) {
    if (typeof seg === 'number') at = Array.isArray(at) ? at[seg - 1] : undefined;
    else at = typeof at === 'object' && at !== null && !Array.isArray(at) ? (at as Record<string, unknown>)[seg] : undefined;
    if (at === undefined) return undefined;
  }
  return at;
}

export function isEmptyValue(v: unknown): boolean {
  if (v === undefined || v === null) return true;
  if (typeof v === 'string') return v.trim() === '';
  if (Array.isArray(v)) return v.every(isEmptyValue);
  if (typeof v === 'object') return Object.values(v as object).every(isEmptyValue);
  return false;
}

export function yearOf(v: unknown): number | null {
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  if (typeof v === 'string' && /^\d{1,4}$/.test(v.trim())) return Number(v.trim());
  return null;
}

// The event's current year, from the server's clock (timeline.now) read at the event's offset.
export function yearAt(now: string | undefined, offset: string | undefined): number {
  const ms = parseInstant(now) ?? Date.now();
  const off = parseOffset(offset) ?? 0;
  return new Date(ms + off * 60_000).getUTCFullYear();
}

export type Conditional = { applies: false } | { applies: true; required: boolean; years: number; started: number | null };

// A field's `required_if` (field 14: only for a practice running longer than N years), evaluated
// live against the answers the way the server does: current year − started year > N.
export function conditional(field: FormField, root: Answers, currentYear: number): Conditional {
  const rule = field.required_if;
  if (!rule || typeof rule.year_field !== 'string') return { applies: false };
  const years = typeof rule.running_years_gt === 'number' ? rule.running_years_gt : 0;
  const started = yearOf(valueAt(root, rule.year_field));
  return { applies: true, years, started, required: started !== null && currentYear - started > years };
}

export function isRequired(field: FormField, root: Answers, currentYear: number): boolean {
  if (field.required) return true;
  const c = conditional(field, root, currentYear);
  return c.applies && c.required;
}

export interface ChoiceOption {
  value: string | number;
  title: string;
}

export function optionsOf(field: FormField, agenda: Agenda): ChoiceOption[] {
  if (field.options_from === 'sections') {
    return (agenda.sections ?? [])
      .filter((s) => typeof s.number === 'number')
      .map((s) => ({ value: s.number!, title: `${s.number}. ${textOf(s.title)}` }));
  }
  if (field.options_from === 'payment_forms') {
    return (agenda.fees?.payment_forms ?? []).map((f) => ({ value: f.id, title: textOf(f.title) || f.id }));
  }
  return (field.options ?? []).map((o) => ({ value: o.id, title: textOf(o.title) || String(o.id) }));
}

export function fieldLabel(field: FormField): string {
  const label = textOf(field.label) || field.id;
  return typeof field.number === 'number' ? `${field.number}. ${label}` : label;
}

// The label of a path for a summary of errors: «2. Контактные данные… → Телефон учреждения».
export function pathLabel(fields: FormField[], path: string): string {
  const names: string[] = [];
  let level: FormField[] | undefined = fields;
  for (const seg of parsePath(path)) {
    if (typeof seg === 'number') {
      names.push(`№ ${seg}`);
      continue;
    }
    const f: FormField | undefined = level?.find((x) => x.id === seg);
    if (!f) {
      names.push(seg);
      level = undefined;
      continue;
    }
    names.push(names.length === 0 ? fieldLabel(f) : textOf(f.label) || f.id);
    level = f.fields;
  }
  return names.join(' → ');
}

// Puts the cursor into the field of `path`; a path whose element is not on the page (a list item
// that is not shown) falls back to its nearest shown parent, and a fieldset to its first control.
export function focusField(path: string): void {
  let p = path;
  for (;;) {
    const el = document.getElementById(fieldDomId(p));
    if (el) {
      const target =
        el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement || el instanceof HTMLSelectElement
          ? el
          : el.querySelector<HTMLElement>('input, textarea, select, button');
      el.scrollIntoView({ block: 'center' });
      (target ?? el).focus();
      return;
    }
    const cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
    if (cut <= 0) return;
    p = p.slice(0, cut);
  }
}

// Server messages grouped by path.
export function errorMap(errors: ReadonlyArray<{ path: string; message: string }>): Map<string, string> {
  const map = new Map<string, string>();
  for (const e of errors) {
    const prev = map.get(e.path);
    map.set(e.path, prev ? `${prev} ${e.message}` : e.message);
  }
  return map;
}

// The formatting rules of a document in words, from the agenda: «шрифт Times New Roman 14 пт,
// интервал 1,5, …». Empty when the agenda sets none.
export function formattingInWords(f: Formatting | undefined): string {
  if (!f) return '';
  const n = (x: number) => String(x).replace('.', ',');
  const kAlignment: Record<string, string> = { justify: 'по ширине', left: 'по левому краю', center: 'по центру', right: 'по правому краю' };
  const parts: string[] = [];
  if (f.font) parts.push(`шрифт ${f.font}${f.font_size_pt ? ` ${n(f.font_size_pt)} пт` : ''}`);
  if (f.line_spacing) parts.push(`интервал ${n(f.line_spacing)}`);
  if (f.alignment && kAlignment[f.alignment]) parts.push(`выравнивание ${kAlignment[f.alignment]}`);
  if (f.first_line_indent_cm) parts.push(`абзацный отступ ${n(f.first_line_indent_cm)} см`);
  const m = f.margins_cm;
  if (m) {
    const sides = [
      m.left !== undefined ? `левое ${n(m.left)} см` : '',
      m.top !== undefined ? `верхнее ${n(m.top)} см` : '',
      m.bottom !== undefined ? `нижнее ${n(m.bottom)} см` : '',
      m.right !== undefined ? `правое ${n(m.right)} см` : '',
    ].filter(Boolean);
    if (sides.length) parts.push(`поля: ${sides.join(', ')}`);
  }
  if (f.caption_font_size_pt) parts.push(`таблицы и подписи ${n(f.caption_font_size_pt)} пт`);
  if (f.reference_example) parts.push(`ссылки вида ${f.reference_example}`);
  return parts.join('; ');
}
