// The co-authors of a practice by e-mail: each sees it in their cabinet and fills in their own
// registration form.
import { useState } from 'preact/hooks';
import type { Words } from '../../lib/intake';

export function CoAuthors(props: {
  list: string[];
  known: Array<{ email: string; registered?: boolean }>;
  readOnly: boolean;
  ownerEmail?: string;
  words: Words;
  onChange: (list: string[]) => void;
}) {
  const { list, known, readOnly, onChange, words } = props;
  const [email, setEmail] = useState('');
  const [error, setError] = useState('');
  const registered = new Map(known.map((c) => [c.email.toLowerCase(), c.registered]));

  const add = (e: Event) => {
    e.preventDefault();
    const v = email.trim();
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v)) {
      setError('Введите адрес электронной почты соавтора, например ivanova@example.org.');
      return;
    }
    if (list.some((x) => x.toLowerCase() === v.toLowerCase()) || v.toLowerCase() === props.ownerEmail?.toLowerCase()) {
      setError('Этот адрес уже есть в списке.');
      return;
    }
    setError('');
    setEmail('');
    onChange([...list, v]);
  };

  return (
    <section class="card" aria-labelledby="coauthors-title" data-testid="co-authors">
      <h2 id="coauthors-title">Соавторы</h2>
      <p class="muted">Соавторы видят {words.accusative} в своём кабинете. Каждый соавтор заполняет свою регистрационную анкету.</p>
      {list.length === 0 ? (
        <p class="muted">Соавторов нет.</p>
      ) : (
        <ul class="coauthors">
          {list.map((c) => {
            const r = registered.get(c.toLowerCase());
            return (
              <li key={c} data-testid="co-author" data-email={c}>
                <span class="coauthors__email">{c}</span>{' '}
                <span class="muted" data-testid="co-author-registered">
                  {r === undefined ? 'сохраняется…' : r ? 'зарегистрирован(а)' : 'ещё не зарегистрирован(а) на сайте'}
                </span>
                {!readOnly && (
                  <button
                    type="button"
                    class="button button--secondary button--small"
                    aria-label={`Убрать соавтора ${c}`}
                    onClick={() => onChange(list.filter((x) => x !== c))}
                  >
                    Убрать
                  </button>
                )}
              </li>
            );
          })}
        </ul>
      )}
      {!readOnly && (
        <form class="form form__row" onSubmit={add} noValidate>
          <div class="field">
            <label class="field__label" for="co-author-email">
              Электронная почта соавтора
            </label>
            <input
              type="email"
              id="co-author-email"
              inputMode="email"
              autocomplete="off"
              data-testid="co-author-email"
              value={email}
              onInput={(e) => setEmail(e.currentTarget.value)}
            />
          </div>
          <button type="submit" class="button button--secondary" data-testid="co-author-add">
            Добавить соавтора
          </button>
          {error && (
            <p class="form__error" role="alert">
              {error}
            </p>
          )}
        </form>
      )}
    </section>
  );
}
