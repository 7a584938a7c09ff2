// The application shell: the routes of the site and the providers every page shares.
// A later page is one more entry in kRoutes and one file in pages/.
import type { FunctionComponent } from 'preact';
import { useEffect } from 'preact/hooks';
import { AuthProvider } from './lib/auth';
import { resolve, usePath, type Params, type Route } from './lib/router';
import { Layout, Message } from './components/Layout';
import { EventPage } from './pages/EventPage';
import { HomePage } from './pages/HomePage';
import { CabinetPage } from './pages/CabinetPage';
import { CheckPage } from './pages/CheckPage';
import { IntakeAdminPage } from './pages/IntakeAdminPage';
import { PracticePage } from './pages/PracticePage';
import { RegistrationPage } from './pages/RegistrationPage';
import { SectionConsolePage, SectionPage } from './pages/SectionPage';

type Page = FunctionComponent<{ params: Params }>;

const kRoutes: ReadonlyArray<Route<Page>> = [
  { pattern: '/', component: () => <HomePage /> },
  { pattern: '/events/:id', component: ({ params }) => <EventPage id={params.id!} /> },
  { pattern: '/events/:id/cabinet', component: ({ params }) => <CabinetPage id={params.id!} /> },
  { pattern: '/events/:id/registration', component: ({ params }) => <RegistrationPage id={params.id!} /> },
  { pattern: '/events/:id/practices/:n', component: ({ params }) => <PracticePage id={params.id!} n={params.n!} /> },
  { pattern: '/events/:id/check', component: ({ params }) => <CheckPage id={params.id!} /> },
  { pattern: '/events/:id/intake', component: ({ params }) => <IntakeAdminPage id={params.id!} /> },
  { pattern: '/events/:id/sections/:n', component: ({ params }) => <SectionPage id={params.id!} n={params.n!} /> },
  {
    pattern: '/events/:id/sections/:n/console',
    component: ({ params }) => <SectionConsolePage id={params.id!} n={params.n!} />,
  },
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
