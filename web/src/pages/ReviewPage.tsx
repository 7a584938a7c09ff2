// Stage 2 for experts: the queue of assigned practices and one practice as the agenda's form
// defines it (numbered, labelled fields), its Word document and materials to open or download,
// and the review form (components/ReviewForm.tsx). The organiser opens the same page to read a practice and the experts'
// decisions on it.
import { useEffect } from 'preact/hooks';
import * as reviewApi from '../lib/endpoints/review';
import type { PracticeView, ReviewFile } from '../lib/endpoints/review';
import { useAuth } from '../lib/auth';
import { useLoad } from '../lib/hooks';
import { outcomeTitle, useEventContext, wordsOf, type EventContext } from '../lib/intake';
import { eventBase, isExpert } from '../lib/roles';
import { textOf } from '../lib/types';
import { ReviewForm } from '../components/ReviewForm';
import { PracticeAnswers } from '../components/PracticeAnswers';
import { formatBytes } from '../lib/format';
import { kRuleTitle } from '../components/FileCheck';
import { Breadcrumbs } from '../components/common/Breadcrumbs';
import { LoadError, Loading, LoginNeeded } from '../components/common/Message';

export function ReviewQueuePage({ id }: { id: string }) {
  const auth = useAuth();
  const ctx = useEventContext(id);
  const genitivePlural = ctx.status === 'ok' ? wordsOf(ctx.data.agenda).genitivePlural : '';
  useEffect(() => {
    document.title = genitivePlural ? `Экспертиза ${genitivePlural}` : 'Экспертиза';
  }, [genitivePlural]);
  const queue = useLoad(`queue:${id}`, (signal) => reviewApi.queue(id, signal));
  if (auth.me === undefined || ctx.status === 'loading') return <Loading />;
  if (auth.me === null) return <LoginNeeded what="открыть экспертизу" />;
  if (ctx.status === 'error') return <LoadError title="Не удалось загрузить мероприятие" message={ctx.message} />;
  if (queue.status === 'loading') return <Loading />;
  if (queue.status === 'error') return <LoadError title="Не удалось загрузить очередь" message={queue.message} />;
  const { practices, review_open } = queue.data;
  const agenda = ctx.data.agenda;
  const words = wordsOf(agenda);
  const base = eventBase(id);
  return (
    <article class="intake" data-testid="review-queue">
      <Breadcrumbs items={[{ href: base, title: textOf(agenda.title) || id }, { title: 'Экспертиза' }]} />
      <h1>
        {words.Many} {words.toReview}
      </h1>
      {!review_open && (
        <p class="callout" role="status" data-testid="review-closed">
          Этап экспертизы сейчас не идёт: решения можно только просмотреть.
        </p>
      )}
      {practices.length === 0 ? (
        <p data-testid="review-queue-empty">Вам пока ничего не назначено.</p>
      ) : (
        <ul class="practice-list">
          {practices.map((p) => (
            <li key={p.id} class="card practice-item" data-testid={`queue-item-${p.id}`}>
              <h2 class="practice-item__title">
                <a href={`${base}/review/${p.id}`} data-testid={`queue-open-${p.id}`}>
                  {p.title || 'Без названия'}
                </a>
              </h2>
              <p class="practice-item__meta">
                № {p.id}; секция {p.section}. {p.section_title}
              </p>
              <p class="practice-item__meta" data-testid={`queue-decision-${p.id}`}>
                Ваше решение: {p.review ? outcomeTitle(agenda, p.review.decision, 'принято') : 'ещё не принято'}
              </p>
            </li>
          ))}
        </ul>
      )}
    </article>
  );
}

export function ReviewPracticePage({ id, n }: { id: string; n: string }) {
  const auth = useAuth();
  const ctx = useEventContext(id);
  const view = useLoad(`review:${id}:${n}`, (signal) => reviewApi.practice(id, n, signal));
  const thing = ctx.status === 'ok' ? wordsOf(ctx.data.agenda) : null;
  useEffect(() => {
    document.title = thing ? `Экспертиза ${thing.genitive}` : 'Экспертиза';
  }, [thing?.genitive]);
  if (auth.me === undefined || ctx.status === 'loading') return <Loading />;
  if (ctx.status === 'error') return <LoadError title="Не удалось загрузить мероприятие" message={ctx.message} />;
  if (auth.me === null) return <LoginNeeded what={`открыть ${thing!.accusative}`} />;
  if (view.status === 'loading') return <Loading />;
  if (view.status === 'error')
    return <LoadError title={`${thing!.One} ${thing!.agree({ f: 'недоступна', m: 'недоступен', n: 'недоступно' })}`} message={view.message} />;
  const { practice, review, criteria, review_open, reviews } = view.data;
  const agenda = ctx.data.agenda;
  const expert = isExpert(auth.me, id);
  const base = eventBase(id);
  const words = wordsOf(agenda);
  const title = textOf(practice.title) || `${words.One} № ${practice.id}`;
  const type = (agenda.practice?.types ?? []).find((t) => t.id === practice.type);
  const crumbs = expert
    ? [{ href: base, title: textOf(agenda.title) || id }, { href: `${base}/review`, title: 'Экспертиза' }, { title }]
    : [{ href: base, title: textOf(agenda.title) || id }, { href: `${base}/desk`, title: 'Кабинет организатора' }, { title }];
  return (
    <article class="intake" data-testid="review-practice">
      <Breadcrumbs items={crumbs} />
      <h1>{title}</h1>
      <p class="practice-item__meta">
        № {practice.id}; секция {practice.section}. {practice.section_title}
        {type && `; ${textOf(type.title) || type.id}`}
      </p>
      <section class="card" aria-labelledby="review-files-title" data-testid="review-files">
        <h2 id="review-files-title">Файлы {words.genitive}</h2>
        <PracticeFileList ctx={ctx.data} files={practice.files ?? []} />
      </section>
      <section class="card" aria-labelledby="review-fields-title">
        <h2 id="review-fields-title">Содержание {words.genitive}</h2>
        <PracticeAnswers agenda={agenda} fields={agenda.practice?.fields ?? []} answers={practice.answers ?? {}} showEmpty />
      </section>
      {reviews && <ExpertDecisions ctx={ctx.data} reviews={reviews} />}
      {!reviews && (
        <ReviewForm ctx={ctx.data} n={n} review={review} criteria={criteria} open={review_open} />
      )}
    </article>
  );
}

// The practice's Word document and materials, to open in a new tab or download; never the
// payment scan (the server leaves it out for experts, and it is the organiser's business).
function PracticeFileList({ ctx, files }: { ctx: EventContext; files: ReviewFile[] }) {
  const shown = files.filter((f) => f.state === 'complete' && f.purpose !== 'payment' && f.url);
  if (shown.length === 0) return <p class="muted">Автор не прикрепил файлов.</p>;
  const order = (f: ReviewFile) => (f.purpose === 'document' ? 0 : 1);
  return (
    <ul class="review-files">
      {[...shown]
        .sort((x, y) => order(x) - order(y))
        .map((f) => {
          const name = f.file_name || 'файл';
          const findings = f.verdict?.formatting?.findings;
          return (
            <li key={f.id} data-testid={`review-file-${f.purpose}`}>
              <span class="muted">{textOf(ctx.agenda.files?.[f.purpose ?? '']?.title) || 'Материал'}: </span>
              <a href={f.url} target="_blank" rel="noopener" data-testid={`review-file-open-${f.id}`}>
                {name}
              </a>
              {f.length ? <span class="muted"> ({formatBytes(f.length)})</span> : null}{' '}
              <a class="button button--small button--secondary" href={f.url} download={name} data-testid={`review-file-download-${f.purpose}`}>
                Скачать
              </a>
              {findings && (
                <p class="practice-item__meta">
                  {findings.length === 0
                    ? 'Оформление соответствует требованиям.'
                    : `Замечания к оформлению: ${[...new Set(findings.map((x) => kRuleTitle[x.rule] ?? 'другое'))].join(', ')}.`}
                </p>
              )}
            </li>
          );
        })}
    </ul>
  );
}

function ExpertDecisions({ ctx, reviews }: { ctx: EventContext; reviews: NonNullable<PracticeView['reviews']> }) {
  return (
    <section class="card" aria-labelledby="expert-decisions-title" data-testid="expert-decisions">
      <h2 id="expert-decisions-title">Решения экспертов</h2>
      {reviews.length === 0 ? (
        <p class="muted">Эксперты ещё не назначены.</p>
      ) : (
        <ul>
          {reviews.map((r) => (
            <li key={r.user.id}>
              {r.user.full_name || r.user.email}:{' '}
              {r.review ? (
                <>
                  {outcomeTitle(ctx.agenda, r.review.decision, 'решение принято')}
                  {r.review.reason && <span class="muted"> — {r.review.reason}</span>}
                </>
              ) : (
                'решение ещё не принято'
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
