// The cabinet's block «Мои персональные данные» (152-ФЗ): the archive of everything the site holds
// about the person, and the withdrawal of consent behind a confirmation in the agenda's words.
// After the withdrawal the session is over: the notice waits in sessionStorage for the page that
// asks the now anonymous visitor to sign in (withdrawnNotice) until someone signs in again.
import { useEffect, useState } from 'preact/hooks';
import { messageOf } from '../../lib/api';
import { useAuth } from '../../lib/auth';
import * as privacy from '../../lib/endpoints/privacy';
import type { Agenda } from '../../lib/types';

const kNoticeKey = 'praktika:privacy-withdrawn';

// The notice of a withdrawal made in this tab, while nobody has signed in since.
export function withdrawnNotice(): string | null {
  try {
    return sessionStorage.getItem(kNoticeKey);
  } catch {
    return null;
  }
}

function forgetWithdrawnNotice() {
  try {
    sessionStorage.removeItem(kNoticeKey);
  } catch {
    // Nothing kept, nothing to forget.
  }
}

export function PersonalData({ eventId, agenda }: { eventId: string; agenda: Agenda }) {
  const auth = useAuth();
  const words = agenda.registration_form?.privacy;
  const [asking, setAsking] = useState(false);
  const [confirmed, setConfirmed] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  useEffect(() => forgetWithdrawnNotice(), []);  // someone is signed in again
  if (!words) return null;

  async function withdraw() {
    setBusy(true);
    setError('');
    // Kept before asking: the socket closed by the withdrawal may sign this page out before the answer.
    try {
      sessionStorage.setItem(kNoticeKey, words?.withdrawn_notice || 'Согласие отозвано.');
    } catch {
      // Without storage the notice is lost; the withdrawal is not.
    }
    try {
      await privacy.withdraw(eventId);
      await auth.logout().catch(() => undefined);
    } catch (e) {
      forgetWithdrawnNotice();
      setError(messageOf(e));
      setBusy(false);
    }
  }

  return (
    <section class="card" aria-labelledby="privacy-title" data-testid="personal-data">
      <h2 id="privacy-title">Мои персональные данные</h2>
      <p>
        Всё, что сайт хранит о вас: учётная запись, заявки, файлы, комментарии, вопросы, присутствие на секциях, сертификаты.{' '}
        <a class="button button--secondary" href={privacy.archiveUrl(eventId)} download data-testid="personal-data-download">
          Скачать архив (ZIP)
        </a>
      </p>
      {!asking ? (
        <p>
          <button type="button" class="button button--quiet" onClick={() => setAsking(true)} data-testid="withdraw-start">
            Отозвать согласие на обработку персональных данных
          </button>
        </p>
      ) : (
        <div class="callout" data-testid="withdraw-confirm">
          <p id="withdraw-text">{words.withdraw_confirmation}</p>
          <p>
            <label>
              <input
                type="checkbox"
                checked={confirmed}
                onChange={(e) => setConfirmed((e.target as HTMLInputElement).checked)}
                aria-describedby="withdraw-text"
                data-testid="withdraw-check"
              />{' '}
              Я прочитал(а) и отзываю согласие
            </label>
          </p>
          {error && (
            <p class="form__error" role="alert">
              {error}
            </p>
          )}
          <p>
            <button
              type="button"
              class="button button--danger"
              disabled={!confirmed || busy}
              onClick={withdraw}
              data-testid="withdraw-submit"
            >
              Отозвать согласие
            </button>{' '}
            <button type="button" class="button button--quiet" onClick={() => setAsking(false)} disabled={busy}>
              Отмена
            </button>
          </p>
        </div>
      )}
    </section>
  );
}
