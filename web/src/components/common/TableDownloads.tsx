// The two downloads of one table: CSV and XLSX, test ids csv-<name> and xlsx-<name>.
export function TableDownloads({ name, url }: { name: string; url: (format: 'csv' | 'xlsx') => string }) {
  return (
    <>
      <a href={url('csv')} download data-testid={`csv-${name}`}>
        Скачать CSV
      </a>{' '}
      <a href={url('xlsx')} download data-testid={`xlsx-${name}`}>
        Скачать XLSX
      </a>
    </>
  );
}
