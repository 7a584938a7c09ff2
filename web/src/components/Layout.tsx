// The frame every page shares: a top bar with the site's name and the login control, a notice
// when the live connection is down, the page's content, and a footer.
import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { useConnectionState } from '../lib/hooks';
import { AuthControl } from './AuthControl';

export function Layout({ children }: { children: ComponentChildren }) {
  return (
    <>
      <a class="skip-link" href="#main">
        К содержанию
      </a>
      <header class="topbar">
        <div class="topbar__inner">
          <a class="topbar__brand" href="/">
            Лучшие практики
          </a>
          <AuthControl />
        </div>
      </header>
      <ConnectionNotice />
      <main id="main" class="page">
        {children}
      </main>
      <footer class="footer">
        <div class="footer__inner">Онлайн-конференция специалистов социального обслуживания</div>
      </footer>
    </>
  );
}

// Says so only after the connection had worked and then dropped, and not for a short blip.
function ConnectionNotice() {
  const state = useConnectionState();
  const wasOpen = useRef(false);
  const [show, setShow] = useState(false);
  useEffect(() => {
    if (state === 'open') {
      wasOpen.current = true;
      setShow(false);
      return;
    }
    if (!wasOpen.current) return;
    const timer = setTimeout(() => setShow(true), 1500);
    return () => clearTimeout(timer);
  }, [state]);
  if (!show) return null;
  return (
    <div class="notice notice--warning" role="status" data-testid="connection-notice">
      Нет связи с сервером. Переподключаемся…
    </div>
  );
}

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
