// The frames a page shows instead of its content: a titled message, the loading line, a load
// error, and "log in first".
import type { ComponentChildren } from 'preact';

export function Message({ title, children }: { title: string; children?: ComponentChildren }) {
  return (
    <section class="message">
      <h1>{title}</h1>
      {children}
    </section>
  );
}

export function Loading() {
  return (
    <p class="loading" role="status" aria-live="polite">
      Загрузка…
    </p>
  );
}

export function LoginNeeded({ what }: { what: string }) {
  return (
    <Message title="Нужно войти">
      <p data-testid="login-needed">
        Чтобы {what}, войдите на сайт или зарегистрируйтесь — кнопка «Вход и регистрация» вверху страницы.
      </p>
    </Message>
  );
}

export function LoadError({ title, message, children }: { title: string; message: string; children?: ComponentChildren }) {
  return (
    <Message title={title}>
      <p role="alert">{message}</p>
      {children}
    </Message>
  );
}
