// The gallery (docs/protocol.md, "Gallery"): the admitted practices with search and filters, the
// sections' counts, one practice with its materials, its discussion, and where people are now.
import { api } from '../api';
import type { CommentList, DocumentPages, GalleryList, GalleryPractice, GallerySections, ModerationList } from '../gallery';
import { eventPath, query, segment, withSignal } from './paths';

export interface BusiestList {
  practices?: Array<{ id: number; title?: string; section?: number; viewers?: number }>;
  viewers?: number;
}

// The search and filters of the list; each is left out when empty, the page when it is the first.
export interface GalleryQuery {
  q: string;
  section: string;
  type: string;
  target: string;
  year: string;
  page: number;
}

export function practices(id: string, q: GalleryQuery, signal?: AbortSignal): Promise<GalleryList> {
  const params = { q: q.q, section: q.section, type: q.type, target: q.target, year: q.year, page: q.page > 1 ? q.page : undefined };
  return api.get<GalleryList>(eventPath(id, `/practices${query(params)}`), withSignal(signal));
}

export function sections(id: string, signal?: AbortSignal): Promise<GallerySections> {
  return api.get<GallerySections>(eventPath(id, '/gallery/sections'), withSignal(signal));
}

export function busiest(id: string, signal?: AbortSignal): Promise<BusiestList> {
  return api.get<BusiestList>(eventPath(id, '/gallery/busiest'), withSignal(signal));
}

export function practice(id: string, n: string, signal?: AbortSignal): Promise<GalleryPractice> {
  return api.get<GalleryPractice>(eventPath(id, `/gallery/practices/${segment(n)}`), withSignal(signal));
}

// A document's pages as images; `url` is the file's `preview` as the server sent it.
export function documentPages(url: string, signal?: AbortSignal): Promise<DocumentPages> {
  return api.get<DocumentPages>(url, withSignal(signal));
}

function commentsPath(id: string, practice: number, rest = ''): string {
  return eventPath(id, `/practices/${segment(practice)}/comments${rest}`);
}

export function comments(id: string, practice: number, signal?: AbortSignal): Promise<CommentList> {
  return api.get<CommentList>(commentsPath(id, practice), withSignal(signal));
}

export function addComment(id: string, practice: number, text: string, parent?: number): Promise<unknown> {
  return api.post(commentsPath(id, practice), parent ? { text, parent } : { text });
}

export function editComment(id: string, practice: number, comment: number, text: string): Promise<unknown> {
  return api.patch(commentsPath(id, practice, `/${segment(comment)}`), { text });
}

export function deleteComment(id: string, practice: number, comment: number): Promise<unknown> {
  return api.delete(commentsPath(id, practice, `/${segment(comment)}`));
}

// The moderator's hand: a hidden comment keeps its place in the thread without its text.
export function hideComment(id: string, practice: number, comment: number, hidden: boolean): Promise<unknown> {
  return api.post(commentsPath(id, practice, `/${segment(comment)}/hide`), { hidden });
}

// A participant's flag on an abusive comment: once, with a reason of the agenda or none. The
// author is not told; only the moderators see it.
export function flagComment(id: string, practice: number, comment: number, reason: string): Promise<unknown> {
  return api.post(commentsPath(id, practice, `/${segment(comment)}/flag`), reason ? { reason } : {});
}

// The moderator's answer to the flags without hiding the comment.
export function clearFlags(id: string, practice: number, comment: number): Promise<unknown> {
  return api.delete(commentsPath(id, practice, `/${segment(comment)}/flags`));
}

// Every comment the caller moderates, the flagged first.
export function moderation(id: string, signal?: AbortSignal): Promise<ModerationList> {
  return api.get<ModerationList>(eventPath(id, '/gallery/moderation'), withSignal(signal));
}
