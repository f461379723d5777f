import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query"
import type { components, paths } from "@tenet/client"
import { ApiError, call, getCurrentOrg, tenet } from "./client"
import type { Me, Role } from "./types"

type AuditQuery = NonNullable<paths["/api/v1/audit"]["get"]["parameters"]["query"]>

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
  useQuery({
    queryKey: keys.me,
    queryFn: async (): Promise<Me> => {
      const me = await call(tenet.GET("/api/v1/auth/me"))
      // the admin signs in with a session; an API key's answer has no person
      if (!("user" in me)) throw new ApiError(401, "Unauthorized", undefined, [])
      return me
    },
    retry: false,
  })
export const useOrg = () => useQuery({ queryKey: keys.org(), queryFn: () => call(tenet.GET("/api/v1/org")) })
export const useMembers = () =>
  useQuery({ queryKey: keys.members(), queryFn: () => call(tenet.GET("/api/v1/members")) })
export const useInvitations = (enabled: boolean) =>
  useQuery({ queryKey: keys.invitations(), queryFn: () => call(tenet.GET("/api/v1/invitations")), enabled })
export const useApiKeys = () =>
  useQuery({ queryKey: keys.apiKeys(), queryFn: () => call(tenet.GET("/api/v1/api-keys")) })
export const useRolesMeta = () =>
  useQuery({
    queryKey: keys.roles,
    queryFn: () => call(tenet.GET("/api/v1/meta/roles")),
    staleTime: Infinity,
  })

export const useAudit = (params: Record<string, string | undefined>) =>
  useQuery({
    queryKey: keys.audit(params),
    queryFn: () => {
      const query = Object.fromEntries(Object.entries(params).filter((e) => Boolean(e[1]))) as AuditQuery
      return call(tenet.GET("/api/v1/audit", { params: { query } }))
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
    mutationFn: (body: components["schemas"]["UpdateOrganization"]) =>
      call(tenet.PATCH("/api/v1/org", { body })),
    onSuccess: () => invalidate("org", "me", "audit"),
  })
}
export const useChangeRole = () => {
  const invalidate = useInvalidate()
  return useMutation({
    mutationFn: ({ userId, role }: { userId: string; role: Role }) =>
      call(tenet.PATCH("/api/v1/members/{userId}", { params: { path: { userId } }, body: { role } })),
    onSettled: () => invalidate("members", "me", "audit"),
  })
}
export const useRemoveMember = () => {
  const invalidate = useInvalidate()
  return useMutation({
    mutationFn: (userId: string) =>
      call(tenet.DELETE("/api/v1/members/{userId}", { params: { path: { userId } } })),
    onSuccess: () => invalidate("members", "audit"),
  })
}
export const useInvite = () => {
  const invalidate = useInvalidate()
  return useMutation({
    mutationFn: (body: { email: string; role: Role }) => call(tenet.POST("/api/v1/invitations", { body })),
    onSuccess: () => invalidate("invitations", "audit"),
  })
}
export const useRevokeInvitation = () => {
  const invalidate = useInvalidate()
  return useMutation({
    mutationFn: (id: string) => call(tenet.DELETE("/api/v1/invitations/{id}", { params: { path: { id } } })),
    onSuccess: () => invalidate("invitations", "audit"),
  })
}
export const useCreateApiKey = () => {
  const invalidate = useInvalidate()
  return useMutation({
    mutationFn: (body: { name: string; role: Role }) => call(tenet.POST("/api/v1/api-keys", { body })),
    onSuccess: () => invalidate("api-keys", "audit"),
  })
}
export const useRevokeApiKey = () => {
  const invalidate = useInvalidate()
  return useMutation({
    mutationFn: (id: string) => call(tenet.DELETE("/api/v1/api-keys/{id}", { params: { path: { id } } })),
    onSuccess: () => invalidate("api-keys", "audit"),
  })
}
