// The cabinet's block «Сертификаты и сборник»: the participant's own documents to download, and
// the proceedings once the organiser has made them available. Shows nothing for an event
// without certificates.
import * as certificates from '../lib/endpoints/certificates';
import { useLoad } from '../lib/hooks';

export function CertificatesBlock({ eventId }: { eventId: string }) {
  const loaded = useLoad(`certificates-mine:${eventId}`, (signal) => certificates.mine(eventId, signal));
  const mine = loaded.status === 'ok' ? loaded.data : null;
  if (!mine || (mine.certificates.length === 0 && !mine.proceedings)) return null;
  return (
    <section class="card" aria-labelledby="certificates-title" data-testid="cabinet-certificates">
      <h2 id="certificates-title">Сертификаты и сборник</h2>
      {mine.certificates.length === 0 ? (
        <p class="muted">Сертификаты ещё не выпущены: они придут на адрес, указанный в заявке.</p>
      ) : (
        <ul>
          {mine.certificates.map((c) => (
            <li key={c.number} data-testid="certificate">
              <a href={c.url} download>
                {c.title} № {c.number}
              </a>{' '}
              · <a href={c.verify_url}>проверка подлинности</a>
            </li>
          ))}
        </ul>
      )}
      {mine.proceedings && (
        <p>
          <a href={mine.proceedings.url} data-testid="proceedings-link">
            Сборник материалов конференции (PDF)
          </a>
        </p>
      )}
    </section>
  );
}
