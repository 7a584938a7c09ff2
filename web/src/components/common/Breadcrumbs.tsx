// The trail above a page's title: the event, the page it was reached from, this page.
export function Breadcrumbs({ items }: { items: Array<{ href?: string; title: string }> }) {
  return (
    <nav class="crumbs" aria-label="Навигация">
      <ol>
        {items.map((it, i) => (
          <li key={i}>{it.href ? <a href={it.href}>{it.title}</a> : <span aria-current="page">{it.title}</span>}</li>
        ))}
      </ol>
    </nav>
  );
}
