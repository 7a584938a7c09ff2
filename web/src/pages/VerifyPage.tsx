// «Проверка сертификата»: the public page a certificate's QR code leads to. Anyone may open it;
// it says what the number certifies (whose, the role, the practices, the event, the date of
// issue, so an edited PDF disagrees with it), or that no such document was issued. Without a
// number it is a box to type the one printed on paper.
import { useEffect } from 'preact/hooks';
import { ApiError } from '../lib/api';
import * as certificates from '../lib/endpoints/certificates';
import { useLoad } from '../lib/hooks';
import { Loading, Message } from '../components/common/Message';
import { VerifyForm } from '../components/certificates/VerifyForm';

export function VerifyPage({ number }: { number?: string }) {
  useEffect(() => {
    document.title = 'Проверка сертификата';
  }, []);
  if (!number)
    return (
      <article class="verify" data-testid="verify" data-valid="">
        <h1>Проверка сертификата</h1>
        <p>Введите номер, напечатанный на сертификате под QR-кодом: страница покажет, кому и за что он выдан.</p>
        <VerifyForm />
      </article>
    );
  return <VerifyResult key={number} number={number} />;
}

function VerifyResult({ number }: { number: string }) {
  // No such number is an answer, not an error.
  const checked = useLoad(`verify:${number}`, (signal) =>
    certificates.verify(number, signal).catch((e: unknown) => {
      if (e instanceof ApiError && e.status === 404) return null;
      throw e;
    }),
  );

  if (checked.status === 'error') return <Message title="Не удалось проверить сертификат">{<p>{checked.message}</p>}</Message>;
  if (checked.status === 'loading') return <Loading />;
  const result = checked.data;
  if (result === null)
    return (
      <article class="verify" data-testid="verify" data-valid="no">
        <h1>Проверка сертификата</h1>
        <p class="verify__verdict verify__verdict--bad" data-testid="verify-verdict">
          Сертификат с номером <strong>{number}</strong> не выдавался. Проверьте номер: он напечатан под QR-кодом.
        </p>
        <VerifyForm initial={number} />
      </article>
    );
  return (
    <article class="verify" data-testid="verify" data-valid="yes">
      <h1>Проверка сертификата</h1>
      <p class="verify__verdict verify__verdict--good" data-testid="verify-verdict">
        Документ подлинный: «{result.document}» № <strong>{result.number}</strong> выдан {result.issued_on}{result.issued_on?.endsWith('.') ? '' : '.'}
      </p>
      <p>Сверьте с ним бумажный или PDF-экземпляр: если что-то расходится, документ был изменён.</p>
      <dl class="verify__facts">
        <dt>Кому</dt>
        <dd data-testid="verify-name">{result.full_name}</dd>
        {result.institution && (
          <>
            <dt>Учреждение</dt>
            <dd data-testid="verify-institution">{result.institution}</dd>
          </>
        )}
        {result.role && (
          <>
            <dt>Роль</dt>
            <dd data-testid="verify-role">{result.role}</dd>
          </>
        )}
        {(result.practices ?? []).length > 0 && (
          <>
            <dt>Практика</dt>
            {(result.practices ?? []).map((p) => (
              <dd key={`${p.section}:${p.title}`} data-testid="verify-practice">
                «{p.title}»{p.section_title ? ` (секция ${p.section} «${p.section_title}»)` : ''}
              </dd>
            ))}
          </>
        )}
        <dt>Мероприятие</dt>
        <dd data-testid="verify-event">
          <a href={`/events/${encodeURIComponent(result.event.id)}`}>{result.event.title}</a>
        </dd>
        <dt>Дата выдачи</dt>
        <dd data-testid="verify-issued">{result.issued_on}</dd>
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
      <h2>Проверить другой номер</h2>
      <VerifyForm />
    </article>
  );
}
