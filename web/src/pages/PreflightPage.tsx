// The presenter's pre-flight check (/events/:id/preflight): what the section day asks of a
// presenter at home, and the check of the camera, the microphone and the bandwidth. Open to anyone:
// nothing here is private, and a presenter may check a computer before signing in on it.
import { useEffect } from 'preact/hooks';
import { useEventContext } from '../lib/intake';
import { presenterRequirements } from '../lib/preflight';
import { eventBase } from '../lib/roles';
import { textOf } from '../lib/types';
import { PreflightCheck, RequirementsList } from '../components/PreflightCheck';
import { Breadcrumbs } from '../components/common/Breadcrumbs';
import { LoadError, Loading } from '../components/common/Message';

export function PreflightPage({ id }: { id: string }) {
  const ctx = useEventContext(id);
  useEffect(() => {
    document.title = 'Проверка оборудования перед выступлением';
  }, []);
  if (ctx.status === 'loading') return <Loading />;
  if (ctx.status === 'error') return <LoadError title="Не удалось загрузить мероприятие" message={ctx.message} />;
  const requirements = presenterRequirements(ctx.data.agenda);
  const base = eventBase(id);
  return (
    <article class="intake" data-testid="preflight-page">
      <Breadcrumbs items={[{ href: base, title: textOf(ctx.data.agenda.title) || id }, { title: 'Проверка оборудования' }]} />
      <h1>Проверка оборудования перед выступлением</h1>
      {requirements && (
        <section class="card">
          <RequirementsList requirements={requirements} level={2} />
        </section>
      )}
      <section class="card">
        <h2>Проверка</h2>
        <p class="muted">Браузер спросит разрешения на камеру и микрофон; изображение и звук никуда не отправляются.</p>
        <PreflightCheck requirements={requirements} />
      </section>
    </article>
  );
}
