// The standalone file check: the clause 6.5 check of a practice description and the media check
// (flashmob, presentation files, photos, payment scans). Open to anyone, at any stage.
import { useEffect } from 'preact/hooks';
import { useEventContext, wordsOf } from '../lib/intake';
import { textOf } from '../lib/types';
import { DocumentCheck, MediaCheck } from '../components/FileCheck';
import { Breadcrumbs } from '../components/common/Breadcrumbs';
import { LoadError, Loading } from '../components/common/Message';

export function CheckPage({ id }: { id: string }) {
  const ctx = useEventContext(id);
  useEffect(() => {
    document.title = 'Проверка файлов';
  }, []);
  if (ctx.status === 'loading') return <Loading />;
  if (ctx.status === 'error') return <LoadError title="Не удалось загрузить мероприятие" message={ctx.message} />;
  const base = `/events/${encodeURIComponent(id)}`;
  return (
    <article class="intake" data-testid="check-page">
      <Breadcrumbs
        items={[
          { href: base, title: textOf(ctx.data.agenda.title) || id },
          { href: `${base}/cabinet`, title: `Мои ${wordsOf(ctx.data.agenda).many}` },
          { title: 'Проверка файлов' },
        ]}
      />
      <h1>Проверка файлов</h1>
      <p class="muted">Проверьте файлы до отправки: так вы заранее узнаете, что исправить.</p>
      <DocumentCheck ctx={ctx.data} />
      <MediaCheck ctx={ctx.data} />
    </article>
  );
}
