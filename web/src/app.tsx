// The application shell: the routes of the site and the providers every page shares.
// A later page is one more entry in kRoutes and one file in pages/.
import type { FunctionComponent } from 'preact';
import { useEffect } from 'preact/hooks';
import { AuthProvider } from './lib/auth';
import { resolve, usePath, type Params, type Route } from './lib/router';
import { Layout } from './components/Layout';
import { DemoClockBanner } from './components/DemoClock';
import { EventPage } from './pages/EventPage';
import { HomePage } from './pages/HomePage';
import { CabinetPage } from './pages/CabinetPage';
import { CheckPage } from './pages/CheckPage';
import { GalleryPage } from './pages/GalleryPage';
import { GalleryModerationPage } from './pages/GalleryModerationPage';
import { GalleryPracticePage } from './pages/GalleryPracticePage';
import { IntakeAdminPage } from './pages/IntakeAdminPage';
import { PracticePage } from './pages/PracticePage';
import { RegistrationPage } from './pages/RegistrationPage';
import { ReviewBoardPage } from './pages/ReviewBoardPage';
import { ReviewPracticePage, ReviewQueuePage } from './pages/ReviewPage';
import { FlashmobPage, FlashmobWidgetPage } from './pages/FlashmobPage';
import { FlashmobQueuePage } from './pages/FlashmobQueuePage';
import { FlashmobGalleryPage } from './pages/FlashmobGalleryPage';
import { FlashmobMinePage } from './pages/FlashmobMinePage';
import { SectionConsolePage } from './pages/SectionConsolePage';
import { SectionPage } from './pages/SectionPage';
import { PreflightPage } from './pages/PreflightPage';
import { VerifyPage } from './pages/VerifyPage';
import { LaureatesPage } from './pages/LaureatesPage';
import { SectionDayAdminPage } from './pages/SectionDayAdminPage';
import { SectionResultsAdminPage } from './pages/SectionResultsAdminPage';
import { SectionScheduleAdminPage } from './pages/SectionScheduleAdminPage';
import { ResultsPage } from './pages/ResultsPage';
import { PeoplePage } from './pages/PeoplePage';
import { MailPage } from './pages/MailPage';
import { RemindersPage } from './pages/RemindersPage';
import { DeskPage } from './pages/DeskPage';
import { PaymentsPage } from './pages/PaymentsPage';
import { DocumentsPage } from './pages/DocumentsPage';
import { PostPage } from './pages/PostPage';
import { FilesPage } from './pages/FilesPage';
import { ReviewLogPage } from './pages/ReviewLogPage';
import { PastResultsPage } from './pages/PastResultsPage';
import { Message } from './components/common/Message';
import { OperationsPage } from './pages/OperationsPage';
import { PrivacyLogPage } from './pages/PrivacyLogPage';

type Page = FunctionComponent<{ params: Params }>;

const kRoutes: ReadonlyArray<Route<Page>> = [
  { pattern: '/', component: () => <HomePage /> },
  { pattern: '/events/:id', component: ({ params }) => <EventPage id={params.id!} /> },
  { pattern: '/events/:id/cabinet', component: ({ params }) => <CabinetPage id={params.id!} /> },
  { pattern: '/events/:id/registration', component: ({ params }) => <RegistrationPage id={params.id!} /> },
  { pattern: '/events/:id/practices/:n', component: ({ params }) => <PracticePage id={params.id!} n={params.n!} /> },
  { pattern: '/events/:id/check', component: ({ params }) => <CheckPage id={params.id!} /> },
  { pattern: '/events/:id/intake', component: ({ params }) => <IntakeAdminPage id={params.id!} /> },
  { pattern: '/events/:id/review', component: ({ params }) => <ReviewQueuePage id={params.id!} /> },
  { pattern: '/events/:id/review/:n', component: ({ params }) => <ReviewPracticePage id={params.id!} n={params.n!} /> },
  { pattern: '/events/:id/review-board', component: ({ params }) => <ReviewBoardPage id={params.id!} /> },
  { pattern: '/events/:id/gallery', component: ({ params }) => <GalleryPage id={params.id!} /> },
  { pattern: '/events/:id/gallery/moderation', component: ({ params }) => <GalleryModerationPage id={params.id!} /> },
  { pattern: '/events/:id/gallery/:n', component: ({ params }) => <GalleryPracticePage id={params.id!} n={params.n!} /> },
  { pattern: '/events/:id/flashmob', component: ({ params }) => <FlashmobPage id={params.id!} /> },
  { pattern: '/events/:id/flashmob/widget', component: ({ params }) => <FlashmobWidgetPage id={params.id!} /> },
  { pattern: '/events/:id/flashmob/queue', component: ({ params }) => <FlashmobQueuePage id={params.id!} /> },
  { pattern: '/events/:id/flashmob/gallery', component: ({ params }) => <FlashmobGalleryPage id={params.id!} /> },
  { pattern: '/events/:id/flashmob/mine', component: ({ params }) => <FlashmobMinePage id={params.id!} /> },
  { pattern: '/events/:id/preflight', component: ({ params }) => <PreflightPage id={params.id!} /> },
  { pattern: '/events/:id/sections/:n', component: ({ params }) => <SectionPage id={params.id!} n={params.n!} /> },
  { pattern: '/events/:id/laureates', component: ({ params }) => <LaureatesPage id={params.id!} /> },
  {
    pattern: '/events/:id/sections/:n/console',
    component: ({ params }) => <SectionConsolePage id={params.id!} n={params.n!} />,
  },
  { pattern: '/verify', component: () => <VerifyPage /> },
  { pattern: '/verify/:number', component: ({ params }) => <VerifyPage number={params.number!} /> },
  { pattern: '/events/:id/section-day', component: ({ params }) => <SectionDayAdminPage id={params.id!} /> },
  { pattern: '/events/:id/section-day/results', component: ({ params }) => <SectionResultsAdminPage id={params.id!} /> },
  {
    pattern: '/events/:id/section-day/:n',
    component: ({ params }) => <SectionScheduleAdminPage id={params.id!} n={params.n!} />,
  },
  { pattern: '/events/:id/results', component: ({ params }) => <ResultsPage id={params.id!} /> },
  { pattern: '/events/:id/people', component: ({ params }) => <PeoplePage id={params.id!} /> },
  { pattern: '/events/:id/mail', component: ({ params }) => <MailPage id={params.id!} /> },
  { pattern: '/events/:id/reminders', component: ({ params }) => <RemindersPage id={params.id!} /> },
  { pattern: '/events/:id/desk', component: ({ params }) => <DeskPage id={params.id!} /> },
  { pattern: '/events/:id/payments', component: ({ params }) => <PaymentsPage id={params.id!} /> },
  { pattern: '/events/:id/documents', component: ({ params }) => <DocumentsPage id={params.id!} /> },
  { pattern: '/events/:id/post', component: ({ params }) => <PostPage id={params.id!} /> },
  { pattern: '/events/:id/files', component: ({ params }) => <FilesPage id={params.id!} /> },
  { pattern: '/events/:id/review-log', component: ({ params }) => <ReviewLogPage id={params.id!} /> },
  { pattern: '/events/:id/past-results', component: ({ params }) => <PastResultsPage id={params.id!} /> },
  { pattern: '/events/:id/operations', component: ({ params }) => <OperationsPage id={params.id!} /> },
  { pattern: '/events/:id/privacy-log', component: ({ params }) => <PrivacyLogPage id={params.id!} /> },
];

// Pages shown without the site's frame: the widget lives in an <iframe> on a partner site.
function isBare(path: string): boolean {
  return /^\/events\/[^/]+\/flashmob\/widget$/.test(path);
}

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
  if (Component && isBare(path)) return <Component key={path} params={match.params} />;
  return (
    <AuthProvider>
      <DemoClockBanner />
      <Layout>{Component ? <Component key={path} params={match.params} /> : <NotFound />}</Layout>
    </AuthProvider>
  );
}
