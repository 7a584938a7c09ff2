// The box for the number printed under a certificate's QR code: a number typed from paper
// opens its check at /verify/{number}.
import { useState } from 'preact/hooks';
import { navigate } from '../../lib/router';

export function VerifyForm({ initial = '' }: { initial?: string }) {
  const [typed, setTyped] = useState(initial);
  const [empty, setEmpty] = useState(false);
  const submit = (e: Event) => {
    e.preventDefault();
    const number = typed.trim();
    setEmpty(number === '');
    if (number !== '') navigate(`/verify/${encodeURIComponent(number)}`);
  };
  return (
    <form class="verify__form" data-testid="verify-form" onSubmit={submit} noValidate>
      <label for="verify-number">Номер сертификата (напечатан под QR-кодом)</label>
      <input
        id="verify-number"
        data-testid="verify-number"
        type="text"
        autocomplete="off"
        spellcheck={false}
        placeholder="XXXX-XXXX-XXXX-XXXX"
        value={typed}
        aria-invalid={empty}
        aria-describedby={empty ? 'verify-number-error' : undefined}
        onInput={(e) => setTyped((e.target as HTMLInputElement).value)}
      />
      {empty && (
        <p id="verify-number-error" class="field__error" data-testid="verify-empty">
          Введите номер сертификата.
        </p>
      )}
      <button type="submit" data-testid="verify-submit">
        Проверить
      </button>
    </form>
  );
}
