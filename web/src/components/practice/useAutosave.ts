// The practice editor's autosave: one PATCH at a time of the changed top-level fields with the
// revision they were based on, a pause after typing, a retry after a dropped connection, the
// fields the server refused kept in this browser (components/practice/unsaved.ts), and what is
// still pending sent when the page is left.
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, fieldErrorsOf, messageOf, type FieldError } from '../../lib/api';
import * as intake from '../../lib/endpoints/intake';
import { isEmptyValue } from '../../lib/forms';
import type { EventContext } from '../../lib/intake';
import type { Answers, Practice } from '../../lib/types';
import type { SaveState } from './SaveIndicator';
import { keepLocally, readLocally, topField } from './unsaved';

const kAutosaveDelayMs = 1500;
const kRetryDelayMs = 5000;

interface Pending {
  answers: Set<string>;
  section: boolean;
  type: boolean;
  coAuthors: boolean;
}

const nothingPending = (): Pending => ({ answers: new Set(), section: false, type: false, coAuthors: false });
const hasPending = (p: Pending) => p.answers.size > 0 || p.section || p.type || p.coAuthors;

export function useAutosave(ctx: EventContext, initial: Practice) {
  const [practice, setPractice] = useState<Practice>(initial);
  const [answers, setAnswers] = useState<Answers>(initial.answers ?? {});
  const [section, setSection] = useState<number | undefined>(initial.section);
  const [type, setType] = useState<string | undefined>(initial.type);
  const [coAuthors, setCoAuthors] = useState<string[]>((initial.co_authors ?? []).map((c) => c.email));
  const [save, setSave] = useState<SaveState>({ kind: 'idle' });
  const [saveErrors, setSaveErrors] = useState<FieldError[]>([]);

  // The latest values and what is not yet on the server, read by the save loop (not by render).
  const latest = useRef({ answers, section, type, coAuthors });
  const pending = useRef<Pending>(nothingPending());
  const revision = useRef(initial.revision);
  const running = useRef<Promise<boolean> | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const stale = useRef(false);
  const lastSaveErrors = useRef<FieldError[]>([]);
  const localKey = `praktika:unsaved:${ctx.id}:${initial.id}`;
  const readOnly = !practice.editable;

  // One PATCH at a time; whatever changed meanwhile goes in the next one.
  const flush = (): Promise<boolean> => {
    clearTimeout(timer.current);
    if (running.current) return running.current.then(() => flush());
    if (stale.current) return Promise.resolve(false);
    if (!hasPending(pending.current)) return Promise.resolve(true);
    const run = (async () => {
      const sending = pending.current;
      pending.current = nothingPending();
      const body: Record<string, unknown> = {};
      if (typeof revision.current === 'number') body.revision = revision.current;
      if (sending.answers.size > 0) {
        const a: Answers = {};
        for (const k of sending.answers) {
          const v = latest.current.answers[k];
          a[k] = isEmptyValue(v) ? null : v;
        }
        body.answers = a;
      }
      if (sending.section) body.section = latest.current.section;
      if (sending.type) body.type = latest.current.type;
      if (sending.coAuthors) body.co_authors = latest.current.coAuthors;
      setSave({ kind: 'saving' });
      try {
        const p = await intake.patchPractice(ctx.id, initial.id, body);
        revision.current = p.revision;
        setPractice(p);
        // A draft keeps the valid answers; the fields with an error wait for an edit, here and in
        // this browser's storage, so a reload does not lose them either.
        const unsaved = fieldErrorsOf(p.unsaved);
        const unsavedKeys = new Set(unsaved.map((e) => topField(e.path)));
        keepLocally(localKey, latest.current.answers, sending.answers, unsavedKeys);
        lastSaveErrors.current = unsaved;
        setSaveErrors(unsaved);
        if (sending.coAuthors && !pending.current.coAuthors) {
          const list = (p.co_authors ?? []).map((c) => c.email);
          latest.current = { ...latest.current, coAuthors: list };
          setCoAuthors(list);
        }
        if (unsaved.length > 0) {
          const more = unsaved.length > 1 ? ` (и ещё ${unsaved.length - 1})` : '';
          setSave({ kind: 'partial', at: p.updated_at ?? '', message: `${unsaved[0]?.message ?? ''}${more}` });
        } else {
          setSave(hasPending(pending.current) ? { kind: 'pending' } : { kind: 'saved', at: p.updated_at ?? '' });
        }
        return true;
      } catch (e) {
        // Nothing of this PATCH was stored: keep it for the next attempt.
        for (const k of sending.answers) pending.current.answers.add(k);
        pending.current.section ||= sending.section;
        pending.current.type ||= sending.type;
        pending.current.coAuthors ||= sending.coAuthors;
        if (e instanceof ApiError && e.code === 'stale_revision') {
          stale.current = true;
          setSave({ kind: 'stale', message: e.message });
        } else {
          lastSaveErrors.current = fieldErrorsOf(e);
          setSaveErrors(lastSaveErrors.current);
          setSave({ kind: 'error', message: messageOf(e) });
          // A dropped connection or a busy server is retried on its own; a refused field waits for an edit.
          if (e instanceof ApiError && (e.status === 0 || e.status >= 500)) schedule(kRetryDelayMs, true);
        }
        return false;
      }
    })();
    running.current = run;
    return run.finally(() => {
      running.current = null;
    });
  };

  // `keepStatus` leaves «Не сохранено: …» on screen while a retry waits.
  const schedule = (delay = kAutosaveDelayMs, keepStatus = false) => {
    if (!keepStatus) setSave((s) => (s.kind === 'stale' ? s : { kind: 'pending' }));
    clearTimeout(timer.current);
    timer.current = setTimeout(() => void flush().then((ok) => ok && hasPending(pending.current) && schedule()), delay);
  };

  // Values a previous visit could not save (a field with an error) come back and are tried again.
  useEffect(() => {
    if (readOnly) return;
    const kept = readLocally(localKey);
    const keys = Object.keys(kept);
    if (keys.length === 0) return;
    latest.current = { ...latest.current, answers: { ...latest.current.answers, ...kept } };
    setAnswers(latest.current.answers);
    for (const k of keys) pending.current.answers.add(k);
    schedule(0);
  }, []);

  // Leaving the page within the autosave delay still saves.
  useEffect(
    () => () => {
      if (hasPending(pending.current)) void flush();
    },
    [],
  );

  const onAnswer = (fid: string, v: unknown) => {
    latest.current = { ...latest.current, answers: { ...latest.current.answers, [fid]: v } };
    setAnswers(latest.current.answers);
    pending.current.answers.add(fid);
    schedule();
  };

  const setCo = (list: string[]) => {
    latest.current = { ...latest.current, coAuthors: list };
    setCoAuthors(list);
    pending.current.coAuthors = true;
    schedule(0);
  };

  const changeSection = (v: number) => {
    latest.current = { ...latest.current, section: v };
    setSection(v);
    pending.current.section = true;
    schedule(0);
  };

  const changeType = (v: string) => {
    latest.current = { ...latest.current, type: v };
    setType(v);
    pending.current.type = true;
    schedule(0);
  };

  return { practice, setPractice, answers, section, type, coAuthors, save, saveErrors, revision, stale, lastSaveErrors, flush, onAnswer, setCo, changeSection, changeType };
}
