// The application shell: the routes of the site and the providers every page shares.
// A later page is one more entry in kRoutes and one file in pages/.
import type { FunctionComponent } from 'preact';
import { useEffect } from 'preact/hooks';
import { AuthProvider } from './lib/auth';
import { resolve, usePath, type Params, type Route } from './lib/router';
import { Layout, Message } from './components/Layout';
import { EventPage } from './pages/EventPage';
import { HomePage } from './pages/HomePage';

type Page = FunctionComponent<{ params: Params }>;

const kRoutes: ReadonlyArray<Route<Page>> = [
  { pattern: '/', component: () => <HomePage /> },
  { pattern: '/events/:id', component: ({ params }) => <EventPage id={params.id!} /> },
];

function NotFound() {
  useEffect(() => {
    document.title = 'Страница не найдена';
  }, []);
  return (
    <Message title="Страница не найдена">
      <p>
        Такой страницы нет. <a href="/">Перейти на главную</a>
      </p>
    </Message>
  );
}

export function App() {
  const path = usePath();
  const match = resolve(kRoutes, path);
  const Component = match?.component;
  return (
    <AuthProvider>
      <Layout>{Component ? <Component key={path} params={match.params} /> : <NotFound />}</Layout>
    </AuthProvider>
  );
}
