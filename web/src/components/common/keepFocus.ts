// Keeps the keyboard's place on a page whose controls come and go with live state (the moderator's
// console: «Начать секцию» gives way to «Вызвать первого выступающего», «Пауза» to «Продолжить», a
// question approved leaves the list). When the focused control vanishes or is disabled, the browser
// drops focus to the page's start; this puts it back on the control of the same name in the same
// card (the item moved in a queue), or the card's first enabled button, or the card's heading.
// A click on the page's plain text lets focus go, as the person meant.
import { useCallback, useRef } from 'preact/hooks';

const kControls = 'button, a[href], input, select, textarea';

interface Place {
  card: string | null; // the aria-labelledby of the card that held focus
  name: string; // the control's accessible name as written on it
}

function nameOf(el: Element): string {
  return el.getAttribute('aria-label') ?? el.getAttribute('data-testid') ?? el.textContent?.trim() ?? '';
}

function lost(): boolean {
  const active = document.activeElement;
  return active === null || active === document.body;
}

// A callback ref for the element whose controls are kept in reach.
export function useKeepFocus(): (el: HTMLElement | null) => void {
  const cleanup = useRef<(() => void) | null>(null);
  return useCallback((root: HTMLElement | null) => {
    cleanup.current?.();
    cleanup.current = null;
    if (!root) return;
    let place: Place | null = null;
    const onFocusIn = (e: FocusEvent) => {
      const target = e.target as Element;
      place = { card: target.closest('[aria-labelledby]')?.getAttribute('aria-labelledby') ?? null, name: nameOf(target) };
    };
    const onFocusOut = (e: FocusEvent) => {
      const next = e.relatedTarget as Node | null;
      if (next && !root.contains(next)) place = null;
    };
    const onPointerDown = (e: PointerEvent) => {
      if (!(e.target instanceof Element) || !e.target.closest(kControls)) place = null;
    };
    const restore = () => {
      if (!place || !lost()) return;
      const card = (place.card && root.querySelector(`[aria-labelledby="${CSS.escape(place.card)}"]`)) || root;
      const buttons = [...card.querySelectorAll<HTMLElement>('button:not(:disabled)')];
      const same = buttons.find((b) => nameOf(b) === place!.name);
      let target: HTMLElement | null = same ?? buttons[0] ?? null;
      if (!target) {
        target = card.querySelector<HTMLElement>('h2, h1');
        if (target) target.tabIndex = -1;
      }
      target?.focus({ preventScroll: true });
    };
    const observer = new MutationObserver(restore);
    observer.observe(root, { childList: true, subtree: true, attributes: true, attributeFilter: ['disabled'] });
    root.addEventListener('focusin', onFocusIn);
    root.addEventListener('focusout', onFocusOut);
    document.addEventListener('pointerdown', onPointerDown);
    cleanup.current = () => {
      observer.disconnect();
      root.removeEventListener('focusin', onFocusIn);
      root.removeEventListener('focusout', onFocusOut);
      document.removeEventListener('pointerdown', onPointerDown);
    };
  }, []);
}
