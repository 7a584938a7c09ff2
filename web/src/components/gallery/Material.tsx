// One material of a gallery practice: a video streamed from the uploads' file route, a photo, or a
// file to download with its formatting findings and, for the Word document, its pages as images.
import * as gallery from '../../lib/endpoints/gallery';
import type { GalleryFile } from '../../lib/gallery';
import { useLoad } from '../../lib/hooks';

export function Material({ file: f }: { file: GalleryFile }) {
  const name = f.file_name || 'файл';
  if (f.kind === 'video') {
    return (
      <figure>
        <video controls preload="metadata" src={f.url} data-testid={`video-${f.id}`} />
        <figcaption>{name}</figcaption>
      </figure>
    );
  }
  if (f.purpose === 'photo' || f.kind === 'jpeg' || f.kind === 'image') {
    return (
      <figure>
        <img src={f.url} alt={name} loading="lazy" />
        <figcaption>{name}</figcaption>
      </figure>
    );
  }
  const findings = f.format?.findings ?? [];
  return (
    <div class="material">
      <a class="button button--secondary" href={f.url} download={name}>
        Скачать {name}
      </a>
      {f.purpose === 'document' && f.format && (
        <p class="practice-item__meta">
          {findings.length === 0 ? 'Оформление соответствует требованиям.' : `Замечаний к оформлению: ${findings.length}.`}
        </p>
      )}
      {findings.length > 0 && (
        <ul>
          {findings.slice(0, 20).map((x, i) => (
            <li key={i}>
              {x.where ? `${x.where}: ` : ''}
              {x.found} (нужно: {x.expected})
            </li>
          ))}
        </ul>
      )}
      {f.preview && <DocumentPreview url={f.preview} name={name} />}
    </div>
  );
}

// The document's pages as images the server made once (LibreOffice, then poppler): readable on
// a phone without a Word viewer. Pages load as they scroll into view.
function DocumentPreview({ url, name }: { url: string; name: string }) {
  const state = useLoad(`document-pages:${url}`, (signal) => gallery.documentPages(url, signal));
  if (state.status === 'error') return <p class="muted" data-testid="preview-error">{state.message}</p>;
  if (state.status === 'loading') return <p class="muted">Готовим просмотр документа…</p>;
  const { pages, urls, width } = state.data;
  return (
    <details class="doc-preview" open data-testid="document-preview">
      <summary>
        Просмотр документа ({pages} стр.)
      </summary>
      {urls.map((src, i) => (
        <img
          key={src}
          src={src}
          alt={`${name}, страница ${i + 1} из ${pages}`}
          loading="lazy"
          decoding="async"
          width={width}
          height={width ? Math.round(width * 1.414) : undefined}
          data-testid="preview-page"
        />
      ))}
    </details>
  );
}
