// «Проверка сертификата»: the public page a certificate's QR code leads to. Anyone may open it;
// it says what the number certifies, or that no such document was issued.
import { useEffect, useState } from 'preact/hooks';
import { api, ApiError, messageOf } from '../lib/api';
import type { Verification } from '../lib/certificates';
import { Loading, Message } from '../components/Layout';

export function VerifyPage({ number }: { number: string }) {
  const [result, setResult] = useState<Verification | null | undefined>(undefined);
  const [error, setError] = useState('');
  useEffect(() => {
    document.title = 'Проверка сертификата';
    api.get<Verification>(`/api/certificates/${encodeURIComponent(number)}`).then(setResult, (e) => {
      if (e instanceof ApiError && e.status === 404) setResult(null);
      else setError(messageOf(e));
    });
  }, [number]);

  if (error) return <Message title="Не удалось проверить сертификат">{<p>{error}</p>}</Message>;
  if (result === undefined) return <Loading />;
  if (result === null)
    return (
      <article class="verify" data-testid="verify" data-valid="no">
        <h1>Проверка сертификата</h1>
        <p class="verify__verdict verify__verdict--bad">
          Документ с номером <strong>{number}</strong> не выдавался. Проверьте номер: он напечатан под QR-кодом.
        </p>
      </article>
    );
  return (
    <article class="verify" data-testid="verify" data-valid="yes">
      <h1>Проверка сертификата</h1>
      <p class="verify__verdict verify__verdict--good" data-testid="verify-verdict">
        Документ подлинный: «{result.document}» № <strong>{result.number}</strong> выдан {result.issued_on}.
      </p>
      <dl class="verify__facts">
        <dt>Кому</dt>
        <dd data-testid="verify-name">{result.full_name}</dd>
        {result.institution && (
          <>
            <dt>Учреждение</dt>
            <dd data-testid="verify-institution">{result.institution}</dd>
          </>
        )}
        <dt>Мероприятие</dt>
        <dd>
          <a href={`/events/${encodeURIComponent(result.event.id)}`}>{result.event.title}</a>
        </dd>
        {result.took_part.length > 0 && (
          <>
            <dt>Участие</dt>
            <dd>
              <ul>
                {result.took_part.map((line) => (
                  <li key={line}>{line}</li>
                ))}
              </ul>
            </dd>
          </>
        )}
      </dl>
    </article>
  );
}
