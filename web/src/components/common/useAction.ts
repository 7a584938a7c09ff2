// A button's request to the server: busy while it runs, then the words of its success (what the
// action returns) or of its error. One action at a time; each run clears the last one's words.
import { useState } from 'preact/hooks';
import { messageOf } from '../../lib/api';

export function useAction() {
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState('');
  const [error, setError] = useState('');
  const run = async (action: () => Promise<string>) => {
    setBusy(true);
    setError('');
    setDone('');
    try {
      setDone(await action());
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };
  return { busy, done, error, run };
}
