// The practice's section and type where the agenda has them; each change is saved at once.
import type { EventContext } from '../../lib/intake';
import { typeTitle, wordsOf } from '../../lib/intake';
import { textOf } from '../../lib/types';
import { SectionOptions } from '../common/SectionOptions';

export function SectionAndType(props: {
  ctx: EventContext;
  readOnly: boolean;
  section: number | undefined;
  type: string | undefined;
  onSection: (section: number) => void;
  onType: (type: string) => void;
}) {
  const { ctx, readOnly, section, type, onSection, onType } = props;
  const words = wordsOf(ctx.agenda);
  const sections = (ctx.agenda.sections ?? []).filter((s) => typeof s.number === 'number');
  const types = ctx.agenda.practice?.types ?? [];
  if (sections.length === 0 && types.length === 0) return null;
  return (
    <div class="form__row form__row--split">
              <div class="field">
                <label class="field__label" for="practice-section">
                  Секция
                </label>
                <select
                  id="practice-section"
                  data-testid="practice-section"
                  disabled={readOnly}
                  value={section === undefined ? '' : String(section)}
                  onChange={(e) => onSection(Number(e.currentTarget.value))}
                >
                  <SectionOptions sections={sections} />
                </select>
              </div>
              <div class="field">
                <label class="field__label" for="practice-type">
                  Вид {words.genitive}
                </label>
                <select
                  id="practice-type"
                  data-testid="practice-type"
                  disabled={readOnly}
                  value={type ?? ''}
                  onChange={(e) => onType(e.currentTarget.value)}
                >
                  {types.map((t) => (
                    <option key={t.id} value={t.id}>
                      {textOf(t.title) || t.id}
                    </option>
                  ))}
                </select>
                <p class="field__hint">{textOf(types.find((t) => t.id === type)?.description) || typeTitle(ctx, type)}</p>
              </div>
            </div>
  );
}
