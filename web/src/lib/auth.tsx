// Who is logged in, for every page: loads GET /api/me once, and offers login, registration and
// logout. The session itself is an HttpOnly cookie the page never sees.
import { createContext, type ComponentChildren } from 'preact';
import { useCallback, useContext, useEffect, useMemo, useState } from 'preact/hooks';
import { ApiError } from './api';
import * as accounts from './endpoints/accounts';
import type { Me } from './types';
import { forgetSaved } from './offline';
import { ws } from './ws';

export interface AuthState {
  // undefined while loading, null when nobody is logged in.
  me: Me | null | undefined;
  login(email: string, password: string): Promise<void>;
  register(email: string, password: string, fullName: string): Promise<void>;
  logout(): Promise<void>;
  refresh(): Promise<void>;
}

const AuthContext = createContext<AuthState | null>(null);

export function AuthProvider({ children }: { children: ComponentChildren }) {
  const [me, setMe] = useState<Me | null | undefined>(undefined);

  const refresh = useCallback(async () => {
    try {
      setMe(await accounts.me());
    } catch (e) {
      // Not logged in, or the server is unreachable: either way the page shows the login control.
      if (!(e instanceof ApiError) || e.status !== 401) console.warn('GET /api/me:', e);
      setMe(null);
    }
  }, []);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  // A logout in another tab, or roles granted or withdrawn, ends this page's socket too.
  useEffect(() => ws.onIdentityChanged(() => void refresh()), [refresh]);

  // The WebSocket learns who we are at the upgrade, so it reconnects when that changes.
  const signedIn = (next: Me) => {
    setMe(next);
    ws.restart();
  };

  const state = useMemo<AuthState>(
    () => ({
      me,
      refresh,
      async login(email, password) {
        signedIn(await accounts.login(email, password));
      },
      async register(email, password, fullName) {
        signedIn(await accounts.register(email, password, fullName));
      },
      async logout() {
        await accounts.logout();
        forgetSaved();
        setMe(null);
        ws.restart();
      },
    }),
    [me, refresh],
  );

  return <AuthContext.Provider value={state}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthState {
  const state = useContext(AuthContext);
  if (!state) throw new Error('useAuth outside AuthProvider');
  return state;
}
