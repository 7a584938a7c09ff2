// A form rendered from the agenda's field definitions (registration form, practice description,
// later the contest application): every field type the server's validator knows, with labels,
// required marks, hints, per-field server errors and read-only display. Values are plain JSON as
// the server stores them; each change hands the new value of one top-level field to onChange.
import type { ComponentChildren } from 'preact';
import {
  conditional,
  fieldDomId,
  fieldLabel,
  isRequired,
  itemPath,
  joinPath,
  optionsOf,
  yearOf,
  type ChoiceOption,
} from '../lib/forms';
import { textOf, type Agenda, type Answers, type FormField } from '../lib/types';

export interface FormContext {
  agenda: Agenda;
  root: Answers; // the whole form, for rules that read another field (required_if)
  currentYear: number;
  errors: Map<string, string>; // path → server message
  readOnly: boolean;
  // The files that answer a field (agenda `attachments`: items 6–13 of the contest), shown under it.
  attachments?: (field: FormField, path: string) => ComponentChildren;
}

const kDefaultMaxItems = 50;

// A field asked only for some answers of another (the payer's ИНН for a legal entity): the
// server drops it otherwise, so it is not shown either.
export function shown(field: FormField, root: Answers): boolean {
  const rule = field.shown_if;
  if (!rule || typeof rule.field !== 'string') return true;
  const answer = root[rule.field];
  return (rule.values ?? []).some((v) => v === answer || String(v) === String(answer ?? ''));
}

export function FormFields(props: {
  fields: FormField[];
  values: Answers;
  onChange: (id: string, value: unknown) => void;
  ctx: FormContext;
  prefix?: string;
}) {
  const { fields, values, onChange, ctx, prefix = '' } = props;
  return (
    <>
      {fields.filter((f) => shown(f, ctx.root)).map((f) => (
        <Field
          key={f.id}
          field={f}
          path={joinPath(prefix, f.id)}
          value={values[f.id]}
          onChange={(v) => onChange(f.id, v)}
          ctx={ctx}
        />
      ))}
    </>
  );
}

interface FieldProps {
  field: FormField;
  path: string;
  value: unknown;
  onChange: (value: unknown) => void;
  ctx: FormContext;
  label?: string; // overrides the field's own (list items)
}

function RequiredMark() {
  return (
    <span class="required-mark" title="Обязательное поле">
      <span aria-hidden="true"> *</span>
      <span class="visually-hidden"> (обязательное поле)</span>
    </span>
  );
}

function describedBy(id: string, hint: boolean, error: boolean): string | undefined {
  const ids = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean);
  return ids.length ? ids.join(' ') : undefined;
}

function FieldError({ id, message }: { id: string; message?: string }) {
  if (!message) return null;
  return (
    <p class="field__error" id={`${id}-error`} data-testid="field-error">
      {message}
    </p>
  );
}

function Field(props: FieldProps) {
  const { field } = props;
  switch (field.type) {
    case 'object':
      return <ObjectField {...props} />;
    case 'list':
      return <ListField {...props} />;
    case 'consent':
      return <ConsentField {...props} />;
    default:
      return <ScalarField {...props} />;
  }
}

// The label of the field at a dotted path («relevance.started_year»), or "".
function labelAt(fields: FormField[], path: string): string {
  const [head, ...rest] = path.split('.');
  const field = fields.find((f) => f.id === head);
  if (!field) return '';
  return rest.length === 0 ? textOf(field.label) : labelAt(field.fields ?? [], rest.join('.'));
}

function ConditionalNote({ field, ctx, path }: { field: FormField; ctx: FormContext; path: string }) {
  const c = conditional(field, ctx.root, ctx.currentYear);
  if (!c.applies) return null;
  const span = c.years === 1 ? 'одного года' : `${c.years} лет`;
  // The year field it depends on, named by its own label («Год начала реализации практики»).
  const yearPath = field.required_if?.year_field ?? '';
  const yearLabel = labelAt(ctx.agenda.practice?.fields ?? [], yearPath) || 'год начала';
  return (
    <p class="field__note" data-testid={`required-note-${path}`} data-required={c.required ? 'yes' : 'no'} aria-live="polite">
      Обязательно, только если с года в поле «{yearLabel}» прошло более {span}.{' '}
      {c.started === null
        ? `Заполните поле «${yearLabel}» — от него зависит, нужно ли заполнять это поле.`
        : c.required
          ? `Год начала — ${c.started}: поле нужно заполнить.`
          : `Год начала — ${c.started}: поле можно не заполнять.`}
    </p>
  );
}

function ScalarField({ field, path, value, onChange, ctx, label }: FieldProps) {
  const id = fieldDomId(path);
  const error = ctx.errors.get(path);
  const hint = textOf(field.hint);
  const required = isRequired(field, ctx.root, ctx.currentYear);
  const common = {
    id,
    name: path,
    'data-testid': `field-${path}`,
    'aria-invalid': error ? ('true' as const) : undefined,
    'aria-required': required ? ('true' as const) : undefined,
    'aria-describedby': describedBy(id, !!hint, !!error),
  };
  const text = value === undefined || value === null ? '' : String(value);

  let control: ComponentChildren;
  switch (field.type) {
    case 'textarea':
      control = (
        <textarea {...common} rows={5} readOnly={ctx.readOnly} value={text} onInput={(e) => onChange(e.currentTarget.value)} />
      );
      break;
    case 'year':
      control = (
        <input
          {...common}
          type="text"
          inputMode="numeric"
          autocomplete="off"
          maxLength={4}
          class="input--short"
          readOnly={ctx.readOnly}
          value={text}
          onInput={(e) => {
            const raw = e.currentTarget.value.trim();
            const year = yearOf(raw);
            onChange(raw === '' ? null : year !== null && raw.length === 4 ? year : raw);
          }}
        />
      );
      break;
    case 'choice': {
      const options: ChoiceOption[] = optionsOf(field, ctx.agenda);
      const selected = options.findIndex((o) => String(o.value) === text);
      control = (
        <select
          {...common}
          disabled={ctx.readOnly}
          value={selected < 0 ? '' : String(selected)}
          onChange={(e) => {
            const i = e.currentTarget.value;
            onChange(i === '' ? null : options[Number(i)]!.value);
          }}
        >
          <option value="">— выберите —</option>
          {options.map((o, i) => (
            <option key={String(o.value)} value={String(i)}>
              {o.title}
            </option>
          ))}
        </select>
      );
      break;
    }
    default: {
      const kind = field.type === 'phone' ? 'tel' : field.type === 'email' ? 'email' : field.type === 'url' ? 'url' : 'text';
      control = (
        <input
          {...common}
          type={kind}
          inputMode={
            kind === 'tel' ? 'tel' : kind === 'email' ? 'email' : kind === 'url' ? 'url' : field.type === 'inn' || field.type === 'kpp' ? 'numeric' : undefined
          }
          maxLength={field.type === 'inn' ? 12 : field.type === 'kpp' ? 9 : undefined}
          autocomplete="off"
          readOnly={ctx.readOnly}
          value={text}
          onInput={(e) => onChange(e.currentTarget.value)}
        />
      );
    }
  }

  return (
    <div class={`field${error ? ' field--invalid' : ''}`} data-field={path}>
      <label class="field__label" for={id}>
        {label ?? fieldLabel(field)}
        {required && <RequiredMark />}
      </label>
      {hint && (
        <p class="field__hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      <ConditionalNote field={field} ctx={ctx} path={path} />
      {control}
      <FieldError id={id} message={error} />
      {field.attachments && ctx.attachments?.(field, path)}
    </div>
  );
}

function ConsentField({ field, path, value, onChange, ctx }: FieldProps) {
  const id = fieldDomId(path);
  const error = ctx.errors.get(path);
  const hint = textOf(field.hint);
  return (
    <div class={`field field--consent${error ? ' field--invalid' : ''}`} data-field={path}>
      <div class="consent">
        <input
          type="checkbox"
          id={id}
          name={path}
          data-testid={`field-${path}`}
          checked={value === true}
          disabled={ctx.readOnly}
          aria-invalid={error ? 'true' : undefined}
          aria-describedby={describedBy(id, !!hint, !!error)}
          onChange={(e) => onChange(e.currentTarget.checked)}
        />
        <label for={id}>
          {textOf(field.label) || field.id}
          {field.required && <RequiredMark />}
        </label>
      </div>
      {hint && (
        <p class="field__hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      <FieldError id={id} message={error} />
    </div>
  );
}

function asObject(v: unknown): Answers {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Answers) : {};
}

// A field made of fields (an object, a list): a fieldset whose legend is the field's label, then
// its hint, what `note` says of it, its error and the fields.
function FieldGroup({ field, path, ctx, label, note, children }: Omit<FieldProps, 'value' | 'onChange'> & { note?: ComponentChildren; children: ComponentChildren }) {
  const id = fieldDomId(path);
  const error = ctx.errors.get(path);
  const hint = textOf(field.hint);
  return (
    <fieldset class={`group${error ? ' group--invalid' : ''}`} id={id} data-testid={`fieldset-${path}`} data-field={path}>
      <legend class="group__legend">
        {label ?? fieldLabel(field)}
        {isRequired(field, ctx.root, ctx.currentYear) && <RequiredMark />}
      </legend>
      {hint && <p class="field__hint">{hint}</p>}
      {note}
      <FieldError id={id} message={error} />
      {children}
    </fieldset>
  );
}

function ObjectField({ field, path, value, onChange, ctx, label }: FieldProps) {
  const obj = asObject(value);
  return (
    <FieldGroup field={field} path={path} ctx={ctx} label={label}>
      <FormFields fields={field.fields ?? []} values={obj} prefix={path} ctx={ctx} onChange={(sub, v) => onChange({ ...obj, [sub]: v })} />
    </FieldGroup>
  );
}

function emptyItem(field: FormField): unknown {
  return field.fields && field.fields.length > 0 ? {} : '';
}

function ListField({ field, path, value, onChange, ctx, label }: FieldProps) {
  const min = Math.max(0, field.min_items ?? 0);
  const max = Math.max(1, field.max_items ?? kDefaultMaxItems);
  const stored = Array.isArray(value) ? value : [];
  // Show at least min_items rows so a required list starts with something to fill in.
  const items: unknown[] = [...stored];
  while (items.length < min) items.push(emptyItem(field));
  const title = textOf(field.label) || field.id;

  const setItem = (i: number, v: unknown) => {
    const next = [...items];
    next[i] = v;
    onChange(next);
  };
  const remove = (i: number) => onChange(items.filter((_, j) => j !== i));
  const add = () => onChange([...items, emptyItem(field)]);

  const scalar: FormField = { id: '', type: field.item_type ?? 'textarea' };
  const note = (min > 0 || field.max_items) && (
    <p class="field__note">
      {min > 0 && field.max_items ? `От ${min} до ${max}.` : min > 0 ? `Не меньше ${min}.` : `Не больше ${max}.`}
    </p>
  );
  return (
    <FieldGroup field={field} path={path} ctx={ctx} label={label} note={note}>
      {items.length === 0 && <p class="muted">Пока ни одного.</p>}
      <ol class="items">
        {items.map((item, i) => {
          const p = itemPath(path, i);
          const itemLabel = `№ ${i + 1}`;
          return (
            <li class="items__item" key={i} data-testid={`item-${p}`}>
              {field.fields && field.fields.length > 0 ? (
                <ObjectField field={{ ...field, type: 'object', required: false, required_if: undefined, hint: undefined }} path={p} value={item} ctx={ctx} label={itemLabel} onChange={(v) => setItem(i, v)} />
              ) : (
                <ScalarField field={scalar} path={p} value={item} ctx={ctx} label={itemLabel} onChange={(v) => setItem(i, v)} />
              )}
              {!ctx.readOnly && (
                <button
                  type="button"
                  class="button button--secondary button--small"
                  data-testid={`remove-${p}`}
                  disabled={items.length <= min}
                  aria-label={`Удалить: ${title}, ${itemLabel}`}
                  onClick={() => remove(i)}
                >
                  Удалить
                </button>
              )}
            </li>
          );
        })}
      </ol>
      {!ctx.readOnly && items.length < max && (
        <button type="button" class="button button--secondary" data-testid={`add-${path}`} onClick={add}>
          Добавить{items.length > 0 ? ' ещё' : ''}
        </button>
      )}
    </FieldGroup>
  );
}
