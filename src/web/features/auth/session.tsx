import { useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, type ReactNode, useContext, useEffect } from 'react';
import { STAFF_MARKER } from '../../../shared/cookies';
import { sessionOrNull, setOnUnauthenticated } from '../../api';
import type { SessionInfo } from '../../types';

interface SessionState {
  session: SessionInfo | null;
  loading: boolean;
  can: (permission: string) => boolean;
  refresh: () => Promise<unknown>;
}

const SessionContext = createContext<SessionState | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const qc = useQueryClient();
  const q = useQuery({
    queryKey: ['session'],
    queryFn: () => sessionOrNull<SessionInfo>('/api/auth/session', STAFF_MARKER),
    staleTime: 60_000,
    retry: false,
  });
  useEffect(() => {
    // When the server ends the session (timeout, deactivation), forget everything cached and show login.
    setOnUnauthenticated(() => {
      qc.clear();
      qc.setQueryData(['session'], null);
    });
  }, [qc]);
  const session = q.data ?? null;
  const value: SessionState = {
    session,
    loading: q.isLoading,
    can: (p) => session?.permissions.includes(p) ?? false,
    refresh: () => q.refetch(),
  };
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionState {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside SessionProvider');
  return s;
}
