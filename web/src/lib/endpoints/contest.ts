// The contest (docs/protocol.md, "Contest"): the lists of earlier editions the eligibility rules
// read (uploaded as a table, previewed, saved), the unsure matches against them, and the public
// laureate list with its export by region.
import { api, upload } from '../api';
import { eventPath, query, segment, withSignal } from './paths';

export interface PastRow {
  institution: string;
  inn: string;
  region: string;
  edition: number;
  outcome: string;
  outcome_title: string;
}

export interface Preview {
  rows: PastRow[];
  errors: Array<{ row: number; message: string }>;
  editions: number[];
}

export interface Stored {
  source: 'loaded' | 'file' | 'none';
  editions: Array<{ edition: number; count: number }>;
  results: PastRow[];
}

export interface Match {
  practice: number;
  state: string;
  institution: string;
  inn: string;
  kind: 'similar_name' | 'name_other_inn';
  past: PastRow;
  past_key: string;
  may_apply_from: number;
  decision: 'confirmed' | 'dismissed' | null;
}

export interface Column {
  field: string;
  label: string;
}

export interface Laureate {
  practice: number;
  outcome: string;
  outcome_title: string;
  region: string;
  values: Record<string, string>;
}

export interface LaureateList {
  published: boolean;
  public_from: string;
  title: string;
  columns: Column[];
  laureates: Laureate[];
}

// The table's format from its name, as the server asks it ("" lets the server sniff).
function formatOf(file: File): string {
  return /\.xlsx$/i.test(file.name) ? 'xlsx' : /\.csv$/i.test(file.name) ? 'csv' : '';
}

export function pastResults(id: string, signal?: AbortSignal): Promise<Stored> {
  return api.get<Stored>(eventPath(id, '/contest/past-results'), withSignal(signal));
}

// Reads the table without saving it: the rows and each row's problem.
export function previewPastResults(id: string, file: File): Promise<Preview> {
  return upload<Preview>(eventPath(id, `/contest/past-results/preview${query({ format: formatOf(file) })}`), file);
}

export function savePastResults(id: string, file: File): Promise<{ saved: number; skipped: number; replaced_editions: number[] }> {
  return upload<{ saved: number; skipped: number; replaced_editions: number[] }>(
    eventPath(id, `/contest/past-results${query({ format: formatOf(file) })}`),
    file,
  );
}

export async function matches(id: string, signal?: AbortSignal): Promise<Match[]> {
  const r = await api.get<{ matches: Match[] }>(eventPath(id, '/contest/matches'), withSignal(signal));
  return r.matches;
}

export function decideMatch(id: string, m: Match, decision: 'confirmed' | 'dismissed'): Promise<unknown> {
  return api.put(eventPath(id, `/contest/matches/${segment(m.practice)}`), { past_key: m.past_key, decision });
}

export function laureates(id: string, signal?: AbortSignal): Promise<LaureateList> {
  return api.get<LaureateList>(eventPath(id, '/laureates'), withSignal(signal));
}

export function laureatesExportUrl(id: string, format: string): string {
  return eventPath(id, `/laureates/export${query({ format })}`);
}
