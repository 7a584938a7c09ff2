// Contacts from the agenda as the pages show them: only real values (never one still marked as a
// placeholder), a phone with its tel: link, and the organiser's way to be reached for messages
// that send a person to them.
import { listOf, textOf, type Agenda, type Contact, type Organiser } from './types';

// The value of `key`, or '' when absent or still a placeholder.
export function contactValue(c: Contact | undefined, key: 'name' | 'phone' | 'email'): string {
  if (!c) return '';
  const mark = c.placeholder;
  if (mark === true || (Array.isArray(mark) && mark.includes(key))) return '';
  return textOf(c[key]).trim();
}

export function telHref(phone: string): string {
  return `tel:${phone.replace(/[^\d+]/g, '')}`;
}

// Only an address that looks like one becomes a mailto: link.
export function isEmail(value: string): boolean {
  return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value);
}

// The first organiser with a real e-mail or phone: whom «обратитесь к организатору» means.
export function organiserContact(agenda: Agenda): { title: string; email: string; phone: string } | null {
  for (const o of listOf<Organiser>(agenda.organisers)) {
    const email = contactValue(o.contact, 'email');
    const phone = contactValue(o.contact, 'phone');
    if (email || phone) return { title: textOf(o.title), email, phone };
  }
  return null;
}

// «attestovan38@mail.ru» / «тел. 8 (3952) …»: for a sentence.
export function reachText(agenda: Agenda): string {
  const c = organiserContact(agenda);
  if (!c) return '';
  return [c.email, c.phone ? `тел. ${c.phone}` : ''].filter(Boolean).join(', ');
}
