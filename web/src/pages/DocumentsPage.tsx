// The organiser's documents after the event (/events/:id/documents): issuing the certificates (a
// background job, followed live through the organiser-only topic certificates:{event}: its
// subscribe reply is the job as it is, so a reconnect reads it again, and each "progress" event
// moves the bar) and their list and archive, the proceedings and the
// letter with their link, and the tables to download (decisions, attendance, certificates).
import * as certificates from '../lib/endpoints/certificates';
import { wordsOf, type EventContext } from '../lib/intake';
import { eventBase } from '../lib/roles';
import { textOf } from '../lib/types';
import { Breadcrumbs } from '../components/common/Breadcrumbs';
import { OrganiserOnly } from '../components/common/OrganiserOnly';
import { IssuedCertificates } from '../components/documents/IssuedCertificates';
import { Proceedings } from '../components/documents/Proceedings';


export function DocumentsPage({ id }: { id: string }) {
  return (
    <OrganiserOnly id={id} title="Сертификаты, сборник и выгрузки" loginWhat="открыть документы мероприятия">
      {(ctx) => <Documents ctx={ctx} />}
    </OrganiserOnly>
  );
}

function exportsOf(ctx: EventContext): Array<{ which: string; title: string }> {
  const list = [
    { which: 'decisions', title: `Решения по ${wordsOf(ctx.agenda).dativePlural}` },
    { which: 'attendance', title: 'Посещаемость секций' },
  ];
  if (ctx.agenda.certificates !== undefined) list.push({ which: 'certificates', title: 'Сертификаты' });
  return list;
}

function Documents({ ctx }: { ctx: EventContext }) {
  const base = eventBase(ctx.id);
  return (
    <article class="intake" data-testid="documents">
      <Breadcrumbs
        items={[
          { href: base, title: textOf(ctx.agenda.title) || ctx.id },
          { href: `${base}/desk`, title: 'Кабинет организатора' },
          { title: 'Сертификаты, сборник и выгрузки' },
        ]}
      />
      <h1>Сертификаты, сборник и выгрузки</h1>
      {ctx.agenda.certificates !== undefined && <IssuedCertificates ctx={ctx} />}
      {ctx.agenda.proceedings !== undefined && <Proceedings ctx={ctx} />}
      {ctx.agenda.order !== undefined && (
        <section class="card" aria-labelledby="order-title">
          <h2 id="order-title">Распорядительный документ об итогах</h2>
          <p class="muted">
            Распорядительный документ по результатам на основе заключения экспертов: допущенные {wordsOf(ctx.agenda).many} по секциям с
            авторами и учреждениями, по окончательным решениям на сегодня.
          </p>
          <a class="button button--secondary" href={certificates.orderUrl(ctx.id)} target="_blank" rel="noopener" data-testid="order-link">
            Открыть документ (PDF)
          </a>
        </section>
      )}
      <section class="card" aria-labelledby="exports-title">
        <h2 id="exports-title">Таблицы для выгрузки</h2>
        <p class="muted">Каждую таблицу можно скачать для Excel (XLSX) или как CSV.</p>
        <ul class="desk__links">
          {exportsOf(ctx).map((e) => (
            <li key={e.which}>
              {e.title}:{' '}
              <a href={certificates.exportUrl(ctx.id, e.which, 'xlsx')} download data-testid={`export-${e.which}-xlsx`}>
                XLSX
              </a>{' '}
              ·{' '}
              <a href={certificates.exportUrl(ctx.id, e.which, 'csv')} download data-testid={`export-${e.which}`}>
                CSV
              </a>
            </li>
          ))}
        </ul>
      </section>
    </article>
  );
}
