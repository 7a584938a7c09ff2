// The gate of every organiser's page: waits for the person and the event, asks a stranger to sign
// in, tells a signed-in person without the role that the page is not theirs, and otherwise renders
// the page with the event. One place, so every staff page refuses the same way.
import type { ComponentChildren } from 'preact';
import { useEffect } from 'preact/hooks';
import { useAuth } from '../../lib/auth';
import { useEventContext, type EventContext } from '../../lib/intake';
import { isOrganiser } from '../../lib/roles';
import { Loading, LoadError, LoginNeeded, Message } from './Message';

interface Props {
  id: string;
  title: string;      // the document's title
  loginWhat: string;  // «Войдите, чтобы …»: what signing in lets one do here
  children: (ctx: EventContext) => ComponentChildren;
}

export function OrganiserOnly({ id, title, loginWhat, children }: Props) {
  const auth = useAuth();
  const ctx = useEventContext(id);
  useEffect(() => {
    document.title = title;
  }, [title]);
  if (auth.me === undefined || ctx.status === 'loading') return <Loading />;
  if (auth.me === null) return <LoginNeeded what={loginWhat} />;
  if (ctx.status === 'error') return <LoadError title="Не удалось загрузить мероприятие" message={ctx.message} />;
  if (!isOrganiser(auth.me, id)) {
    return (
      <Message title="Нет доступа">
        <p data-testid="not-organiser">Эта страница — для организаторов мероприятия.</p>
      </Message>
    );
  }
  return <>{children(ctx.data)}</>;
}
