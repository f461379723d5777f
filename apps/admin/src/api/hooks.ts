import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query"
import { api, getCurrentOrg } from "./client"
import type { ApiKey, AuditPage, Invitation, Me, Member, Organization, Role, RolesMeta } from "./types"

/** Query keys, scoped by organisation so switching organisations never shows another's data. */
export const keys = {
  me: ["me"] as const,
  org: () => ["org", getCurrentOrg()] as const,
  members: () => ["members", getCurrentOrg()] as const,
  invitations: () => ["invitations", getCurrentOrg()] as const,
  apiKeys: () => ["api-keys", getCurrentOrg()] as const,
  audit: (params: Record<string, string | undefined>) => ["audit", getCurrentOrg(), params] as const,
  roles: ["meta", "roles"] as const,
}

export const useMe = () =>
  useQuery({ queryKey: keys.me, queryFn: () => api<Me>("/api/v1/auth/me"), retry: false })
export const useOrg = () =>
  useQuery({ queryKey: keys.org(), queryFn: () => api<Organization>("/api/v1/org") })
export const useMembers = () =>
  useQuery({ queryKey: keys.members(), queryFn: () => api<{ items: Member[] }>("/api/v1/members") })
export const useInvitations = (enabled: boolean) =>
  useQuery({
    queryKey: keys.invitations(),
    queryFn: () => api<{ items: Invitation[] }>("/api/v1/invitations"),
    enabled,
  })
export const useApiKeys = () =>
  useQuery({ queryKey: keys.apiKeys(), queryFn: () => api<{ items: ApiKey[] }>("/api/v1/api-keys") })
export const useRolesMeta = () =>
  useQuery({ queryKey: keys.roles, queryFn: () => api<RolesMeta>("/api/v1/meta/roles"), staleTime: Infinity })

export const useAudit = (params: Record<string, string | undefined>) =>
  useQuery({
    queryKey: keys.audit(params),
    queryFn: () => {
      const qs = new URLSearchParams(
        Object.entries(params).filter((e): e is [string, string] => Boolean(e[1])),
      )
      return api<AuditPage>(`/api/v1/audit?${qs}`)
    },
    placeholderData: keepPreviousData,
  })

const useInvalidate = () => {
  const qc = useQueryClient()
  return (...prefixes: string[]) => Promise.all(prefixes.map((p) => qc.invalidateQueries({ queryKey: [p] })))
}

export const useUpdateOrg = () => {
  const invalidate = useInvalidate()
  return useMutation({
    mutationFn: (body: { name?: string; timeZone?: string; locale?: string }) =>
      api<Organization>("/api/v1/org", { method: "PATCH", body }),
    onSuccess: () => invalidate("org", "me", "audit"),
  })
}
export const useChangeRole = () => {
  const invalidate = useInvalidate()
  return useMutation({
    mutationFn: ({ userId, role }: { userId: string; role: Role }) =>
      api<void>(`/api/v1/members/${userId}`, { method: "PATCH", body: { role } }),
    onSettled: () => invalidate("members", "me", "audit"),
  })
}
export const useRemoveMember = () => {
  const invalidate = useInvalidate()
  return useMutation({
    mutationFn: (userId: string) => api<void>(`/api/v1/members/${userId}`, { method: "DELETE" }),
    onSuccess: () => invalidate("members", "audit"),
  })
}
export const useInvite = () => {
  const invalidate = useInvalidate()
  return useMutation({
    mutationFn: (body: { email: string; role: Role }) =>
      api<{ invitation: Invitation; token: string; url: string }>("/api/v1/invitations", {
        method: "POST",
        body,
      }),
    onSuccess: () => invalidate("invitations", "audit"),
  })
}
export const useRevokeInvitation = () => {
  const invalidate = useInvalidate()
  return useMutation({
    mutationFn: (id: string) => api<void>(`/api/v1/invitations/${id}`, { method: "DELETE" }),
    onSuccess: () => invalidate("invitations", "audit"),
  })
}
export const useCreateApiKey = () => {
  const invalidate = useInvalidate()
  return useMutation({
    mutationFn: (body: { name: string; role: Role }) =>
      api<{ key: ApiKey; secret: string }>("/api/v1/api-keys", { method: "POST", body }),
    onSuccess: () => invalidate("api-keys", "audit"),
  })
}
export const useRevokeApiKey = () => {
  const invalidate = useInvalidate()
  return useMutation({
    mutationFn: (id: string) => api<void>(`/api/v1/api-keys/${id}`, { method: "DELETE" }),
    onSuccess: () => invalidate("api-keys", "audit"),
  })
}
