// A practice's answers as the agenda's form defines them: each field under its number and Russian
// label, in the form's order; an object's answers as sub-fields, a list as a numbered list, a
// choice by its option's title. Used by the gallery and by the expert's page.
import { optionsOf } from '../lib/forms';
import { textOf, type Agenda, type FormField } from '../lib/types';

export function PracticeAnswers(props: { agenda: Agenda; fields: FormField[]; answers: Record<string, unknown>; showEmpty?: boolean }) {
  return (
    <dl class="answers" data-testid="practice-answers">
      {props.fields.map((f) => (
        <Answer key={f.id} agenda={props.agenda} field={f} value={props.answers[f.id]} showEmpty={props.showEmpty ?? false} path={f.id} />
      ))}
    </dl>
  );
}

function empty(value: unknown): boolean {
  return value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0);
}

function Answer(props: { agenda: Agenda; field: FormField; value: unknown; showEmpty: boolean; path: string }) {
  const { agenda, field, value, showEmpty, path } = props;
  if (empty(value) && !showEmpty) return null;
  return (
    <>
      <dt data-testid={`answer-label-${path}`}>
        {typeof field.number === 'number' ? `${field.number}. ` : ''}
        {textOf(field.label) || field.id}
      </dt>
      <dd data-testid={`answer-${path}`}>
        {empty(value) ? <span class="muted">не заполнено</span> : <Value agenda={agenda} field={field} value={value} showEmpty={showEmpty} path={path} />}
      </dd>
    </>
  );
}

function Value(props: { agenda: Agenda; field: FormField; value: unknown; showEmpty: boolean; path: string }) {
  const { agenda, field, value, showEmpty, path } = props;
  if (Array.isArray(value)) {
    const item: FormField = { ...field, type: field.fields ? 'object' : field.item_type };
    return (
      <ol>
        {value.map((v, i) => (
          <li key={i}>
            <Value agenda={agenda} field={item} value={v} showEmpty={showEmpty} path={`${path}[${i + 1}]`} />
          </li>
        ))}
      </ol>
    );
  }
  if (typeof value === 'object' && value !== null) {
    const o = value as Record<string, unknown>;
    return (
      <dl class="answers answers--nested">
        {(field.fields ?? []).map((f) => (
          <Answer key={f.id} agenda={agenda} field={f} value={o[f.id]} showEmpty={showEmpty} path={`${path}.${f.id}`} />
        ))}
      </dl>
    );
  }
  if (typeof value === 'boolean') return <>{value ? 'да' : 'нет'}</>;
  if (field.type === 'choice') {
    const option = optionsOf(field, agenda).find((o) => String(o.value) === String(value));
    if (option) return <>{option.title}</>;
  }
  const text = String(value);
  if (field.type === 'url') {
    const href = /^https?:\/\//.test(text) ? text : `https://${text}`;
    return (
      <a href={href} rel="noopener noreferrer" target="_blank">
        {text}
      </a>
    );
  }
  return (
    <>
      {text.split('\n').map((line, i) => (
        <p key={i}>{line}</p>
      ))}
    </>
  );
}
