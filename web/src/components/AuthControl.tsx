// The login/registration control of the header: a button that opens a dialog with both forms,
// and, once logged in, the person's name and a logout button.
import { useEffect, useRef, useState } from 'preact/hooks';
import { messageOf } from '../lib/api';
import { useAuth } from '../lib/auth';
import type { JSX } from 'preact';

type Mode = 'login' | 'register';

export function AuthControl() {
  const auth = useAuth();
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');

  if (auth.me === undefined) {
    return <div class="auth" aria-busy="true" />;
  }

  if (auth.me) {
    const onLogout = async () => {
      setBusy(true);
      setError('');
      try {
        await auth.logout();
      } catch (e) {
        setError(messageOf(e));
      } finally {
        setBusy(false);
      }
    };
    return (
      <div class="auth">
        <span class="auth__name" data-testid="user-name">
          {auth.me.user.full_name || auth.me.user.email}
        </span>
        <button type="button" class="button button--quiet" data-testid="logout-button" disabled={busy} onClick={onLogout}>
          Выйти
        </button>
        {error && (
          <span class="auth__error" role="alert">
            {error}
          </span>
        )}
      </div>
    );
  }

  return (
    <div class="auth">
      <button type="button" class="button" data-testid="login-button" onClick={() => setOpen(true)}>
        Вход и регистрация
      </button>
      {open && <AuthDialog onDone={() => setOpen(false)} />}
    </div>
  );
}

function AuthDialog({ onDone }: { onDone: () => void }) {
  const auth = useAuth();
  const dialog = useRef<HTMLDialogElement>(null);
  const [mode, setMode] = useState<Mode>('login');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [fullName, setFullName] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');

  useEffect(() => {
    const d = dialog.current;
    if (d && !d.open) d.showModal();
  }, []);

  const switchTo = (next: Mode) => {
    setMode(next);
    setError('');
  };

  const onSubmit = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    setBusy(true);
    setError('');
    try {
      if (mode === 'login') await auth.login(email.trim(), password);
      else await auth.register(email.trim(), password, fullName.trim());
      dialog.current?.close();
    } catch (err) {
      setError(messageOf(err));
      setBusy(false);
    }
  };

  return (
    <dialog ref={dialog} class="dialog" data-testid="auth-dialog" aria-labelledby="auth-dialog-title" onClose={onDone}>
      <form class="form" onSubmit={onSubmit} noValidate={false}>
        <div class="dialog__head">
          <h2 id="auth-dialog-title">{mode === 'login' ? 'Вход' : 'Регистрация'}</h2>
          <button type="button" class="button button--quiet" aria-label="Закрыть" onClick={() => dialog.current?.close()}>
            ✕
          </button>
        </div>
        <div class="tabs" role="tablist">
          <button
            type="button"
            role="tab"
            class="tabs__tab"
            aria-selected={mode === 'login'}
            data-testid="login-tab"
            onClick={() => switchTo('login')}
          >
            Вход
          </button>
          <button
            type="button"
            role="tab"
            class="tabs__tab"
            aria-selected={mode === 'register'}
            data-testid="register-tab"
            onClick={() => switchTo('register')}
          >
            Регистрация
          </button>
        </div>

        {mode === 'register' && (
          <DialogInput label="Фамилия, имя, отчество" type="text" name="full_name" autocomplete="name" data-testid="auth-name" value={fullName} set={setFullName} />
        )}
        <DialogInput
          label="Электронная почта"
          type="email"
          name="email"
          autocomplete="email"
          inputMode="email"
          data-testid="auth-email"
          value={email}
          set={setEmail}
        />
        <DialogInput
          label="Пароль"
          type="password"
          name="password"
          autocomplete={mode === 'login' ? 'current-password' : 'new-password'}
          data-testid="auth-password"
          value={password}
          set={setPassword}
        />

        {error && (
          <p class="form__error" role="alert" data-testid="auth-error">
            {error}
          </p>
        )}

        <button type="submit" class="button button--primary" data-testid="auth-submit" disabled={busy}>
          {busy ? 'Подождите…' : mode === 'login' ? 'Войти' : 'Зарегистрироваться'}
        </button>
      </form>
    </dialog>
  );
}

// One of the dialog's required inputs under its label; `set` takes what is typed.
function DialogInput({ label, set, ...input }: { label: string; set: (value: string) => void } & JSX.InputHTMLAttributes<HTMLInputElement>) {
  return (
    <label class="field">
      <span class="field__label">{label}</span>
      <input required {...input} onInput={(e) => set(e.currentTarget.value)} />
    </label>
  );
}
