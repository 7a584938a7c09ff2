// What every intake page loads first: the agenda (the forms, sections, fees, file rules) and the
// timeline (is the intake open, and the server's "now" for the current year), in one Loadable.
import * as events from './endpoints/events';
import { parseInstant } from './time';
import { kIntakeStage, yearAt } from './forms';
import { useLoad, type Loadable } from './hooks';
import { textOf, type Agenda, type FormField, type Timeline, type TimelineStage } from './types';

export interface EventContext {
  id: string;
  agenda: Agenda;
  intake: TimelineStage | null;
  currentYear: number;
  offset?: string;
  open?: string[]; // the stages open when the page loaded (timeline.open)
  now?: string; // the event's clock when the page loaded
  stages?: TimelineStage[];
}

export function useEventContext(id: string): Loadable<EventContext> {
  return useLoad(`event-context:${id}`, async (signal) => {
    const [agenda, timeline] = await Promise.all([
      events.agenda(id, signal),
      events.timeline(id, signal).catch(() => ({}) as Timeline),
    ]);
    const intake = (timeline.stages ?? []).find((s) => s.id === kIntakeStage) ?? null;
    return {
      id,
      agenda,
      intake,
      currentYear: yearAt(timeline.now, agenda.utc_offset),
      offset: agenda.utc_offset,
      open: timeline.open ?? [],
      now: timeline.now,
      stages: timeline.stages ?? [],
    };
  });
}

// A practice's state in the participant's words.
export const kStateTitle: Record<string, string> = { draft: 'черновик', submitted: 'отправлена' };

// The agenda's title of a practice type, or the type's id.
export function typeTitle(ctx: EventContext, type: string | undefined): string {
  const t = (ctx.agenda.practice?.types ?? []).find((x) => x.id === type);
  return textOf(t?.title) || type || '';
}

export function rub(amount: number | undefined): string {
  return `${(amount ?? 0).toLocaleString('ru-RU')} ₽`;
}

// The words for one practice of the event, from the agenda (the contest: «заявка»); the
// conference's by default.
export interface Words {
  one: string; // «практика»
  One: string; // «Практика»
  accusative: string; // «практику»
  genitive: string; // «практики»
  many: string; // «практики»
  Many: string;
  dativePlural: string; // «практикам»
  genitivePlural: string; // «практик»
  // The form of a word that agrees with the noun: agree({ f: 'Новая', m: 'Новый', n: 'Новое' }).
  agree: (forms: { f: string; m: string; n: string }) => string;
  toReview: string; // «на экспертизу»
  decision: string; // «Решение экспертов»
}

export function capitalise(s: string): string {
  return s ? s[0]!.toUpperCase() + s.slice(1) : s;
}

export function wordsOf(agenda: Agenda): Words {
  const w = agenda.practice?.words ?? {};
  const one = w.one || 'практика';
  const many = w.many || 'практики';
  return {
    one,
    One: capitalise(one),
    accusative: w.accusative || 'практику',
    genitive: w.genitive || 'практики',
    many,
    Many: capitalise(many),
    dativePlural: w.dative_plural || 'практикам',
    genitivePlural: w.genitive_plural || 'практик',
    toReview: w.to_review || 'на экспертизу',
    decision: w.decision || 'Решение экспертов',
    agree: (forms) => forms[w.gender === 'masculine' ? 'm' : w.gender === 'neuter' ? 'n' : 'f'],
  };
}

// The agenda's wording of a decision (review.outcomes), or `fallback`.
export function outcomeTitle(agenda: Agenda, outcome: string, fallback?: string): string {
  return agenda.review?.outcomes?.[outcome] ?? fallback ?? outcome;
}

// The practice fields the contest checks when an application is created (the institution's name
// and INN of contest.eligibility), asked before the rest of the form.
export function creationFields(agenda: Agenda): FormField[] {
  const e = agenda.contest?.eligibility;
  const fields = agenda.practice?.fields ?? [];
  const out: FormField[] = [];
  for (const path of [e?.institution_field, e?.inn_field]) {
    const f = path ? fields.find((x) => x.id === path) : undefined;
    if (f) out.push(f);
  }
  return out;
}

// Whether the agenda charges a fee for a practice.
export function chargesFees(agenda: Agenda): boolean {
  return typeof agenda.fees?.per_practice === 'number' && agenda.fees.per_practice > 0;
}

// Whether the payment contract can be issued: not while the organiser's requisites are the
// agenda's placeholders (the server answers contract_not_ready then).
export function contractReady(agenda: Agenda): boolean {
  return agenda.fees?.contract?.placeholder !== true;
}
export const kContractNotReady = 'Договор будет доступен, когда организатор укажет реквизиты.';

// What the pages call the registration form: each author's «заявка», or the applicant's
// «сведения» where the practice itself is the institution's «заявка» (registration_form.per).
export interface RegistrationNoun {
  it: string;
  acc: string;
  prep: string;
  saved: string;
  filled: string;
  without: string;
}

export function registrationNoun(agenda: Agenda): RegistrationNoun {
  return agenda.registration_form?.per === 'applicant'
    ? { it: 'Сведения о заявителе', acc: 'сведения', prep: 'сведениях', saved: 'сохранены', filled: 'заполнены', without: 'Без этих сведений' }
    : { it: 'Заявка', acc: 'заявку', prep: 'заявке', saved: 'сохранена', filled: 'заполнена', without: 'Без неё' };
}

// The organiser's words for each state of a payment (the server's ids stay out of sight).
export const kPaymentStateForOrganiser: Record<string, string> = {
  proof_sent: 'ждёт проверки',
  awaiting_proof: 'документ не прислан',
  confirmed: 'оплата подтверждена',
  returned: 'документ возвращён',
  not_required: 'оплата не требуется',
};

// Whether new files of `purpose` are taken now, as the server decides it (timeline accepts_files):
// one of its stages is open, or its own accepted_until (clause 5.5: materials a day after the
// applications) has not passed since the first of them opened.
export function acceptsFiles(ctx: EventContext, purpose: string): boolean {
  const spec = ctx.agenda.files?.[purpose];
  if (!spec) return false;
  const stages = spec.accepted_during?.length ? spec.accepted_during : [kIntakeStage];
  if (stages.some((s) => (ctx.open ?? []).includes(s))) return true;
  const now = parseInstant(ctx.now);
  const until = parseInstant(spec.accepted_until);
  if (now === null || until === null) return false;
  const opened = (ctx.stages ?? []).some((s) => stages.includes(s.id) && s.state !== 'upcoming');
  return opened && now < until;
}
