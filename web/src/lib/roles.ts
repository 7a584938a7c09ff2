// What a signed-in person's roles (GET /api/me) open in one event, and the ways into those pages:
// the event page and the header link every page of the product from here, so none is reachable
// only by typing its address.
import type { Agenda, Me, StageState } from './types';

export interface EventRoles {
  organiser: boolean;
  expert: boolean;
  moderator: boolean;
  // The sections the person moderates; a grant without a section covers them all (null).
  moderatorSections: number[] | null;
}

export function rolesIn(me: Me | null | undefined, event: string): EventRoles {
  const grants = (me?.roles ?? []).filter((r) => r.event === event);
  const moderators = grants.filter((r) => r.role === 'moderator');
  const everySection = moderators.some((r) => typeof r.section !== 'number');
  const sections = [...new Set(moderators.map((r) => r.section).filter((s): s is number => typeof s === 'number'))].sort((a, b) => a - b);
  return {
    organiser: grants.some((r) => r.role === 'organiser'),
    expert: grants.some((r) => r.role === 'expert'),
    moderator: moderators.length > 0,
    moderatorSections: everySection ? null : sections,
  };
}

// The one check of each role that gates a page or a control; pages ask these, never me.roles.
export function isOrganiser(me: Me | null | undefined, event: string): boolean {
  return rolesIn(me, event).organiser;
}

export function isExpert(me: Me | null | undefined, event: string): boolean {
  return rolesIn(me, event).expert;
}

// The events in which the person holds a staff role, in the order of their grants.
export function staffEvents(me: Me | null | undefined): string[] {
  const out: string[] = [];
  for (const r of me?.roles ?? []) {
    if (typeof r.event !== 'string' || r.role === 'participant' || out.includes(r.event)) continue;
    out.push(r.event);
  }
  return out;
}

// The stage whose window each kind of work follows (ids of agenda/schema.json's stages).
export const kStageOf = {
  intake: 'intake',
  review: 'review',
  gallery: 'gallery',
  flashmob: 'flashmob',
  sections: 'sections',
  awards: 'awards',
} as const;

export function eventBase(id: string): string {
  return `/events/${encodeURIComponent(id)}`;
}

export interface StaffLink {
  href: string;
  title: string;
  testId: string;
}

// The moderator's consoles: their own sections, or every section of the agenda.
export function consoleLinks(id: string, roles: EventRoles, agenda?: Agenda): StaffLink[] {
  if (!roles.moderator) return [];
  const numbers =
    roles.moderatorSections ?? (agenda?.sections ?? []).map((s) => s.number).filter((n): n is number => typeof n === 'number');
  return numbers.map((n) => ({
    href: `${eventBase(id)}/sections/${n}/console`,
    title: `Пульт модератора, секция ${n}`,
    testId: `console-link-${n}`,
  }));
}

// The role pages of one event as the header shows them (no agenda needed).
export function roleLinks(id: string, roles: EventRoles, agenda?: Agenda): StaffLink[] {
  const links: StaffLink[] = [];
  if (roles.organiser) links.push({ href: `${eventBase(id)}/desk`, title: 'Кабинет организатора', testId: 'desk-link' });
  if (roles.expert) links.push({ href: `${eventBase(id)}/review`, title: 'Экспертиза практик', testId: 'review-link' });
  links.push(...consoleLinks(id, roles, agenda));
  return links;
}

export const kStateWord: Record<StageState, string> = {
  open: 'идёт сейчас',
  upcoming: 'скоро',
  closed: 'завершён',
};
