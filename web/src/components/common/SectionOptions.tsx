// The agenda's sections as the options of a select: «1. Title», the number as the value.
import type { AgendaSection } from '../../lib/types';
import { textOf } from '../../lib/types';

export function SectionOptions({ sections }: { sections: AgendaSection[] }) {
  return (
    <>
      {sections.map((s) => (
        <option key={s.number} value={String(s.number)}>
          {s.number}. {textOf(s.title)}
        </option>
      ))}
    </>
  );
}
