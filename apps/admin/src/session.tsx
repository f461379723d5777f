import { useQueryClient } from "@tanstack/react-query"
import { createContext, type ReactNode, useContext, useMemo } from "react"
import { getCurrentOrg, setCurrentOrg } from "./api/client"
import type { Me, Membership } from "./api/types"

export interface Session {
  readonly me: Me | undefined
  readonly org: Membership | undefined
  readonly switchOrg: (orgId: string) => void
  readonly can: (permission: string) => boolean
}

const SessionContext = createContext<Session>({
  me: undefined,
  org: undefined,
  switchOrg: () => {},
  can: () => false,
})

/** Role → permissions, mirrored from the server's matrix (GET /api/v1/meta/roles) once loaded. */
export const SessionProvider = ({
  me,
  permissions,
  children,
}: {
  me: Me | undefined
  permissions: Record<string, string[]> | undefined
  children: ReactNode
}) => {
  const qc = useQueryClient()
  const session = useMemo<Session>(() => {
    const wanted = getCurrentOrg()
    const org = me?.memberships.find((m) => m.orgId === wanted) ?? me?.memberships[0]
    if (org && org.orgId !== wanted) setCurrentOrg(org.orgId)
    return {
      me,
      org,
      switchOrg: (orgId) => {
        setCurrentOrg(orgId)
        void qc.resetQueries()
      },
      can: (p) => Boolean(org && permissions?.[org.role]?.includes(p)),
    }
  }, [me, permissions, qc])
  return <SessionContext.Provider value={session}>{children}</SessionContext.Provider>
}

export const useSession = () => useContext(SessionContext)
