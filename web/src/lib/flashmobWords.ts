// The flashmob pages' words, from the agenda: the flashmob stage's title and description and the
// kinds of work it shows, so another event's feed and gallery speak its own words.
import { useEffect } from 'preact/hooks';
import { useLoad } from './hooks';
import * as events from './endpoints/events';
import { kStageOf } from './roles';
import { textOf, type Agenda } from './types';

export interface FlashmobWords {
  title: string; // the stage's title (the feed's heading)
  about: string; // its description and the kinds of work, for the feed page
  galleryTitle: string; // the heading of the page with every work
  mineTitle: string; // the author's page of works sent
  queueTitle: string; // the organiser's page: checking the works and the order they are shown in
}

export function flashmobWords(agenda: Agenda): FlashmobWords {
  const stage = agenda.stages?.find((s) => s.id === kStageOf.flashmob);
  const kinds = (agenda.files?.flashmob?.work_kinds ?? []).map((k) => textOf(k.title)).filter(Boolean);
  const list = kinds.map((k) => k.charAt(0).toLowerCase() + k.slice(1)).join(', ');
  const description = textOf(stage?.description);
  const about = [description && `${description.replace(/\.$/, '')}.`, list && `Работы: ${list}.`].filter(Boolean);
  const title = textOf(stage?.title) || textOf(agenda.title);
  return {
    title,
    about: about.join(' '),
    galleryTitle: `${title}: все работы`,
    mineTitle: `${title}: мои работы`,
    queueTitle: `${title}: проверка работ и порядок показа`,
  };
}

// Words that name no event, for pages whose agenda cannot be loaded: the feed still plays there and
// keeps a heading.
export const kPlainFlashmobWords: FlashmobWords = {
  title: 'Трансляция работ',
  about: '',
  galleryTitle: 'Все работы',
  mineTitle: 'Мои работы',
  queueTitle: 'Проверка работ и порядок показа',
};

// The words once the agenda is in (null while it loads, the plain words if it cannot be loaded);
// the document takes the title the caller picks from them.
export function useFlashmobWords(id: string, pick: (w: FlashmobWords) => string): FlashmobWords | null {
  const loaded = useLoad(`flashmob-words:${id}`, (signal) => events.agenda(id, signal).then(flashmobWords));
  const words = loaded.status === 'ok' ? loaded.data : loaded.status === 'error' ? kPlainFlashmobWords : null;
  const documentTitle = words ? pick(words) : '';
  useEffect(() => {
    if (documentTitle) document.title = documentTitle;
  }, [documentTitle]);
  return words;
}
